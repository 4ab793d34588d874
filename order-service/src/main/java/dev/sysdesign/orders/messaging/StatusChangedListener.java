package dev.sysdesign.orders.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.sysdesign.messaging.Envelope;
import dev.sysdesign.messaging.EnvelopeCodec;
import dev.sysdesign.orders.catalog.CatalogEvents;
import dev.sysdesign.orders.catalog.ProductsChanged;
import dev.sysdesign.orders.order.OrderId;
import dev.sysdesign.orders.order.OrderStatus;
import dev.sysdesign.orders.order.OrderStatusChanged;

/**
 * Receives every {@code order.status-changed} and {@code product.changed} event on this
 * instance's own queue and republishes it as a local application event,
 * {@link OrderStatusChanged} (cache eviction, WebSocket push) or {@link ProductsChanged}
 * (cache eviction). Best effort by nature: acknowledged on delivery, and an event this
 * instance misses (it was down) concerns state it did not hold.
 */
@Component
class StatusChangedListener {

	private static final Logger log = LoggerFactory.getLogger(StatusChangedListener.class);

	private final EnvelopeCodec codec;

	private final ApplicationEventPublisher events;

	StatusChangedListener(EnvelopeCodec codec, ApplicationEventPublisher events) {
		this.codec = codec;
		this.events = events;
	}

	@RabbitListener(id = "status-changed", queues = "#{statusChangedQueue.name}", ackMode = "NONE")
	void onMessage(Message message) {
		Object change;
		try {
			Envelope envelope = this.codec.read(message.getBody());
			JsonNode data = envelope.data();
			if (CatalogEvents.CHANGED.equals(envelope.type())) {
				List<String> skus = new ArrayList<>();
				data.get("skus").forEach((sku) -> skus.add(sku.asString()));
				change = new ProductsChanged(List.copyOf(skus));
			}
			else {
				change = new OrderStatusChanged(OrderId.of(data.get("orderId").asString()), data.get("userId").asLong(),
						OrderStatus.valueOf(data.get("status").asString()),
						Instant.parse(data.get("updatedAt").asString()));
			}
		}
		catch (RuntimeException ex) {
			log.warn("Ignoring a malformed change: {}", ex.toString());
			return;
		}
		this.events.publishEvent(change);
	}

}
