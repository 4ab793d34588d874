package dev.sysdesign.worker.orders;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

import dev.sysdesign.messaging.Envelope;
import dev.sysdesign.messaging.MalformedMessageException;
import dev.sysdesign.messaging.Outbox;
import dev.sysdesign.messaging.Payloads;
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

	OrderJobs(ReliableConsumer orderPlacedConsumer, ReliableConsumer orderCancelledConsumer,
			OrderStateRepository states, PaymentSimulator payments, Outbox outbox) {
		this.placedConsumer = orderPlacedConsumer;
		this.cancelledConsumer = orderCancelledConsumer;
		this.states = states;
		this.payments = payments;
		this.outbox = outbox;
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
		expectType(envelope, WorkerMessagingConfiguration.PLACED);
		JsonNode data = envelope.data();
		String orderId = Payloads.orderId(data);
		long userId = Payloads.positiveLong(data, "userId");
		long totalCents = Payloads.longValue(data, "totalCents");
		checkItems(data, totalCents);
		OrderState state = this.states.lockForPlacement(orderId, userId, totalCents, envelope.occurredAt());
		if (state.decided()) {
			log.info("Order {} is already {}; nothing to authorise", orderId, state.status());
			return;
		}
		log.info("Authorising payment for order {} ({} cents)", orderId, totalCents);
		PaymentSimulator.Decision decision = this.payments.authorize(orderId, userId, totalCents);
		if (decision.approved()) {
			this.states.decide(orderId, OrderState.CONFIRMED, null, decision.paymentId());
			processed(orderId, OrderState.CONFIRMED, null, decision.paymentId());
			log.info("Order {} authorised ({} cents, {})", orderId, totalCents, decision.paymentId());
		}
		else {
			this.states.decide(orderId, OrderState.REJECTED, decision.declineReason(), null);
			processed(orderId, OrderState.REJECTED, decision.declineReason(), null);
			log.info("Order {} rejected: {}", orderId, decision.declineReason());
		}
	}

	void cancelled(Envelope envelope) {
		expectType(envelope, WorkerMessagingConfiguration.CANCELLED);
		JsonNode data = envelope.data();
		String orderId = Payloads.orderId(data);
		long userId = Payloads.positiveLong(data, "userId");
		String reason = Payloads.optionalText(data, "reason");
		// order-service cancels an order it will not go ahead with: by its owner, or
		// rejected there for being pending too long (reason "timeout")
		String status = (reason != null) ? OrderState.REJECTED : OrderState.CANCELLED;
		OrderState before = this.states.lockForCancellation(orderId, userId, status, reason);
		if (before == null) {
			log.info("Order {} {} before its placement arrived", orderId, status.toLowerCase(java.util.Locale.ROOT));
			return;
		}
		if (before.paymentId() != null && this.payments.voidAuthorization(before.paymentId())) {
			log.info("Order {} {}: payment {} voided", orderId, status.toLowerCase(java.util.Locale.ROOT),
					before.paymentId());
		}
		this.states.decide(orderId, status, reason, before.paymentId());
	}

	private void processed(String orderId, String outcome, @Nullable String reason, @Nullable String paymentId) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("orderId", orderId);
		data.put("outcome", outcome);
		if (reason != null) {
			data.put("reason", reason);
		}
		if (paymentId != null) {
			data.put("paymentId", paymentId);
		}
		this.outbox.append(WorkerMessagingConfiguration.WORKER_EVENTS, WorkerMessagingConfiguration.PROCESSED,
				WorkerMessagingConfiguration.PROCESSED, data);
	}

	private static void expectType(Envelope envelope, String type) {
		if (!type.equals(envelope.type())) {
			throw new MalformedMessageException(
					"unexpected message type " + envelope.type() + " (expected " + type + ")");
		}
	}

	private static void checkItems(JsonNode data, long totalCents) {
		JsonNode items = data.get("items");
		if (items == null || !items.isArray() || items.isEmpty()) {
			throw new MalformedMessageException("items is missing or empty");
		}
		long sum = 0;
		for (JsonNode item : items) {
			Payloads.text(item, "sku");
			long quantity = Payloads.positiveLong(item, "quantity");
			long price = Payloads.longValue(item, "unitPriceCents");
			if (price < 0) {
				throw new MalformedMessageException("unitPriceCents must not be negative");
			}
			sum += quantity * price;
		}
		if (sum != totalCents) {
			throw new MalformedMessageException("totalCents " + totalCents + " is not the sum of the items " + sum);
		}
	}

}
