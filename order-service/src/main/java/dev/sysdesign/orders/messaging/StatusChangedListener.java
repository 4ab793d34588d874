package dev.sysdesign.orders.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.sysdesign.contracts.messages.Messages;
import dev.sysdesign.contracts.messages.ProductChanged;
import dev.sysdesign.messaging.Envelope;
import dev.sysdesign.messaging.EnvelopeCodec;
import dev.sysdesign.messaging.MalformedMessageException;
import dev.sysdesign.messaging.ReliableConsumer;
import dev.sysdesign.orders.catalog.ProductsChanged;
import dev.sysdesign.orders.order.OrderId;
import dev.sysdesign.orders.order.OrderStatus;
import dev.sysdesign.orders.order.OrderStatusChanged;

/**
 * Receives every {@code order.status-changed} and {@code product.changed} event on this
 * instance's own queue ({@link FanOutConfiguration}) and republishes it as a local
 * application event, {@link OrderStatusChanged} (cache eviction, WebSocket push) or
 * {@link ProductsChanged} (cache eviction). Best effort by nature: acknowledged on
 * delivery, and an event this instance misses (it was down) concerns state it did not
 * hold. A message it cannot read (another type, a payload that breaks its contract) is
 * dead-lettered with the reason, never guessed at.
 */
@Component
class StatusChangedListener {

	private static final Logger log = LoggerFactory.getLogger(StatusChangedListener.class);

	private final EnvelopeCodec codec;

	private final ReliableConsumer deadLetters;

	private final ApplicationEventPublisher events;

	StatusChangedListener(EnvelopeCodec codec, ReliableConsumer statusChangedConsumer,
			ApplicationEventPublisher events) {
		this.codec = codec;
		this.deadLetters = statusChangedConsumer;
		this.events = events;
	}

	@RabbitListener(id = "status-changed", queues = "#{statusChangedQueue.name}", ackMode = "NONE")
	void onMessage(Message message) {
		Object change;
		try {
			change = read(this.codec.read(message.getBody()));
		}
		catch (MalformedMessageException ex) {
			log.warn("Dead-lettering a change this instance cannot read: {}", ex.getMessage());
			try {
				this.deadLetters.reject(message, ex.getMessage());
			}
			catch (RuntimeException failure) {
				log.warn("Could not dead-letter it ({}); dropped", failure.toString());
			}
			return;
		}
		this.events.publishEvent(change);
	}

	private Object read(Envelope envelope) {
		if (Messages.PRODUCT_CHANGED.name().equals(envelope.type())) {
			ProductChanged changed = this.codec.payload(envelope, Messages.PRODUCT_CHANGED);
			return new ProductsChanged(changed.skus());
		}
		dev.sysdesign.contracts.messages.OrderStatusChanged changed = this.codec.payload(envelope,
				Messages.ORDER_STATUS_CHANGED);
		return new OrderStatusChanged(OrderId.of(changed.orderId()), changed.userId(),
				OrderStatus.valueOf(changed.status()), changed.updatedAt());
	}

}
