package dev.sysdesign.orders.messaging;

import java.io.IOException;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

import dev.sysdesign.messaging.Envelope;
import dev.sysdesign.messaging.MalformedMessageException;
import dev.sysdesign.messaging.Payloads;
import dev.sysdesign.messaging.ReliableConsumer;
import dev.sysdesign.orders.order.Order;
import dev.sysdesign.orders.order.OrderId;
import dev.sysdesign.orders.order.OrderNotFoundException;
import dev.sysdesign.orders.order.OrderService;
import dev.sysdesign.orders.order.OrderStatus;

/**
 * Applies the worker's payment results ({@code order.processed}) to pending orders, once
 * per message (the inbox), acknowledged after the commit. An instance with
 * {@code orders.messaging.consume-results=false} leaves them to the others (it still
 * hears every status change through the fan-out).
 */
@Component
class OrderProcessedListener {

	private static final Logger log = LoggerFactory.getLogger(OrderProcessedListener.class);

	private final ReliableConsumer consumer;

	private final OrderService orders;

	OrderProcessedListener(ReliableConsumer orderProcessedConsumer, OrderService orders) {
		this.consumer = orderProcessedConsumer;
		this.orders = orders;
	}

	@RabbitListener(id = "order-processed", queues = OrderMessagingConfiguration.PROCESSED_QUEUE, ackMode = "MANUAL",
			concurrency = "${orders.messaging.consumers:4}", autoStartup = "${orders.messaging.consume-results:true}")
	void onMessage(Message message, Channel channel) throws IOException {
		this.consumer.handle(message, channel, this::apply);
	}

	private void apply(Envelope envelope) {
		if (!OrderMessagingConfiguration.PROCESSED.equals(envelope.type())) {
			throw new MalformedMessageException("unexpected message type " + envelope.type());
		}
		JsonNode data = envelope.data();
		OrderId id = orderId(data);
		OrderStatus outcome = outcome(data);
		String paymentId = Payloads.optionalText(data, "paymentId");
		if (outcome == OrderStatus.CONFIRMED && paymentId == null) {
			throw new MalformedMessageException("a CONFIRMED result needs a paymentId");
		}
		Order order;
		try {
			order = this.orders.applyOutcome(id, outcome, Payloads.optionalText(data, "reason"), paymentId);
		}
		catch (OrderNotFoundException ex) {
			throw new MalformedMessageException("unknown order " + id);
		}
		if (order.status() == outcome) {
			log.info("Order {} is {}", id, outcome);
		}
		else {
			log.info("Order {} is already {}; result {} ignored", id, order.status(), outcome);
		}
	}

	private static OrderId orderId(JsonNode data) {
		return OrderId.of(Payloads.orderId(data));
	}

	private static OrderStatus outcome(JsonNode data) {
		String value = Payloads.optionalText(data, "outcome");
		if ("CONFIRMED".equals(value)) {
			return OrderStatus.CONFIRMED;
		}
		if ("REJECTED".equals(value)) {
			return OrderStatus.REJECTED;
		}
		throw new MalformedMessageException("outcome must be CONFIRMED or REJECTED, not " + value);
	}

}
