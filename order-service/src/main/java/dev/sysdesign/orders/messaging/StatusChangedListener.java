package dev.sysdesign.orders.messaging;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.sysdesign.messaging.Envelope;
import dev.sysdesign.messaging.EnvelopeCodec;
import dev.sysdesign.orders.order.OrderId;
import dev.sysdesign.orders.order.OrderStatus;
import dev.sysdesign.orders.order.OrderStatusChanged;

/**
 * Receives every {@code order.status-changed} event on this instance's own queue and
 * republishes it as a local {@link OrderStatusChanged} application event (cache eviction,
 * WebSocket push). Best effort by nature: acknowledged on delivery, and an event this
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
		OrderStatusChanged change;
		try {
			Envelope envelope = this.codec.read(message.getBody());
			JsonNode data = envelope.data();
			change = new OrderStatusChanged(OrderId.of(data.get("orderId").asString()), data.get("userId").asLong(),
					OrderStatus.valueOf(data.get("status").asString()),
					Instant.parse(data.get("updatedAt").asString()));
		}
		catch (RuntimeException ex) {
			log.warn("Ignoring a malformed status change: {}", ex.toString());
			return;
		}
		this.events.publishEvent(change);
	}

}
