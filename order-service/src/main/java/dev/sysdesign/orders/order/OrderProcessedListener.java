package dev.sysdesign.orders.order;

import java.io.IOException;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

import dev.sysdesign.contracts.messages.Messages;
import dev.sysdesign.contracts.messages.OrderProcessed;
import dev.sysdesign.messaging.Envelope;
import dev.sysdesign.messaging.EnvelopeCodec;
import dev.sysdesign.messaging.MalformedMessageException;
import dev.sysdesign.messaging.ReliableConsumer;

/**
 * Applies the worker's payment results ({@link Messages#ORDER_PROCESSED}) to pending
 * orders, once per message (the inbox), acknowledged after the commit. An instance with
 * {@code orders.messaging.consume-results=false} leaves them to the others (it still
 * hears every status change through the fan-out).
 */
@Component
class OrderProcessedListener {

	private static final Logger log = LoggerFactory.getLogger(OrderProcessedListener.class);

	private final ReliableConsumer consumer;

	private final EnvelopeCodec codec;

	private final OrderService orders;

	OrderProcessedListener(ReliableConsumer orderProcessedConsumer, EnvelopeCodec codec, OrderService orders) {
		this.consumer = orderProcessedConsumer;
		this.codec = codec;
		this.orders = orders;
	}

	@RabbitListener(id = "order-processed", queues = OrderMessagingConfiguration.PROCESSED_QUEUE, ackMode = "MANUAL",
			concurrency = "${orders.messaging.consumers:4}", autoStartup = "${orders.messaging.consume-results:true}")
	void onMessage(Message message, Channel channel) throws IOException {
		this.consumer.handle(message, channel, this::apply);
	}

	private void apply(Envelope envelope) {
		OrderProcessed result = this.codec.payload(envelope, Messages.ORDER_PROCESSED);
		OrderId id = OrderId.of(result.orderId());
		OrderStatus outcome = result.isConfirmed() ? OrderStatus.CONFIRMED : OrderStatus.REJECTED;
		Order order;
		try {
			order = this.orders.applyOutcome(id, outcome, result.reason(), result.paymentId());
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

}
