package dev.sysdesign.worker.orders;

import java.io.IOException;
import java.util.Locale;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

import dev.sysdesign.contracts.messages.Messages;
import dev.sysdesign.contracts.messages.OrderCancelled;
import dev.sysdesign.contracts.messages.OrderPlaced;
import dev.sysdesign.contracts.messages.OrderProcessed;
import dev.sysdesign.messaging.Envelope;
import dev.sysdesign.messaging.EnvelopeCodec;
import dev.sysdesign.messaging.Outbox;
import dev.sysdesign.messaging.ReliableConsumer;
import dev.sysdesign.worker.payment.PaymentSimulator;

/**
 * The worker's jobs: {@code order.placed} authorises the payment and publishes
 * {@code order.processed} (through the outbox); {@code order.cancelled} voids the
 * authorisation if there is one. Each message runs in one transaction with its inbox
 * record, and is acknowledged after the commit (see {@link ReliableConsumer}).
 */
@Component
class OrderJobs {

	private static final Logger log = LoggerFactory.getLogger(OrderJobs.class);

	private final ReliableConsumer placedConsumer;

	private final ReliableConsumer cancelledConsumer;

	private final OrderStateRepository states;

	private final PaymentSimulator payments;

	private final Outbox outbox;

	private final EnvelopeCodec codec;

	OrderJobs(ReliableConsumer orderPlacedConsumer, ReliableConsumer orderCancelledConsumer,
			OrderStateRepository states, PaymentSimulator payments, Outbox outbox, EnvelopeCodec codec) {
		this.placedConsumer = orderPlacedConsumer;
		this.cancelledConsumer = orderCancelledConsumer;
		this.states = states;
		this.payments = payments;
		this.outbox = outbox;
		this.codec = codec;
	}

	@RabbitListener(id = "order-placed", queues = WorkerMessagingConfiguration.PLACED_QUEUE, ackMode = "MANUAL",
			concurrency = "${worker.messaging.consumers:8}")
	void onPlaced(Message message, Channel channel) throws IOException {
		this.placedConsumer.handle(message, channel, this::placed);
	}

	@RabbitListener(id = "order-cancelled", queues = WorkerMessagingConfiguration.CANCELLED_QUEUE, ackMode = "MANUAL",
			concurrency = "${worker.messaging.cancellation-consumers:2}")
	void onCancelled(Message message, Channel channel) throws IOException {
		this.cancelledConsumer.handle(message, channel, this::cancelled);
	}

	void placed(Envelope envelope) {
		OrderPlaced placed = this.codec.payload(envelope, Messages.ORDER_PLACED);
		String orderId = placed.orderId();
		long userId = placed.userId();
		long totalCents = placed.totalCents();
		OrderState state = this.states.lockForPlacement(orderId, userId, totalCents, envelope.occurredAt());
		if (state.decided()) {
			log.info("Order {} is already {}; nothing to authorise", orderId, state.status());
			return;
		}
		log.info("Authorising payment for order {} ({} cents)", orderId, totalCents);
		PaymentSimulator.Decision decision = this.payments.authorize(orderId, userId, totalCents);
		if (decision.approved()) {
			this.states.decide(orderId, OrderState.CONFIRMED, null, decision.paymentId());
			this.outbox.append(Messages.ORDER_PROCESSED, OrderProcessed.confirmed(orderId, decision.paymentId()));
			log.info("Order {} authorised ({} cents, {})", orderId, totalCents, decision.paymentId());
		}
		else {
			this.states.decide(orderId, OrderState.REJECTED, decision.declineReason(), null);
			this.outbox.append(Messages.ORDER_PROCESSED, OrderProcessed.rejected(orderId, decision.declineReason()));
			log.info("Order {} rejected: {}", orderId, decision.declineReason());
		}
	}

	void cancelled(Envelope envelope) {
		OrderCancelled cancelled = this.codec.payload(envelope, Messages.ORDER_CANCELLED);
		String orderId = cancelled.orderId();
		long userId = cancelled.userId();
		String reason = cancelled.reason();
		// order-service cancels an order it will not go ahead with: by its owner, or
		// rejected there for being pending too long (reason "timeout")
		String status = (reason != null) ? OrderState.REJECTED : OrderState.CANCELLED;
		OrderState before = this.states.lockForCancellation(orderId, userId, status, reason);
		if (before == null) {
			log.info("Order {} {} before its placement arrived", orderId, status.toLowerCase(Locale.ROOT));
			return;
		}
		if (before.paymentId() != null && this.payments.voidAuthorization(before.paymentId())) {
			log.info("Order {} {}: payment {} voided", orderId, status.toLowerCase(Locale.ROOT), before.paymentId());
		}
		this.states.decide(orderId, status, reason, before.paymentId());
	}

}
