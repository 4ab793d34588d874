package dev.sysdesign.worker.orders;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.sysdesign.worker.WorkerIntegrationTest;
import dev.sysdesign.worker.WorkerMessages;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's jobs through the real broker: authorisation once per order, duplicates,
 * declines, and cancellations before, during and after the authorisation.
 */
@WorkerIntegrationTest
class OrderJobsIntegrationTests {

	@Autowired
	WorkerMessages messages;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Test
	void placedOrderIsAuthorisedOnceAndConfirmedThroughTheOutbox() {
		String orderId = UUID.randomUUID().toString();
		this.messages.publish("order.placed",
				this.messages.placed(orderId, WorkerMessages.newUser(), 2, 8900, Instant.now()));

		JsonNode result = this.messages.awaitResult(orderId);
		assertThat(result.get("outcome").asString()).isEqualTo("CONFIRMED");
		String paymentId = result.get("paymentId").asString();
		assertThat(authorizations(orderId)).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT amount_cents FROM payment_authorization WHERE id = ?")
			.param(paymentId)
			.query(Long.class)
			.single()).isEqualTo(17800);
		assertThat(status(orderId)).isEqualTo("CONFIRMED");
		// the result left through the outbox: its row is deleted once the broker
		// confirmed it
		// (possibly a moment after the message reached the test's queue)
		org.awaitility.Awaitility.await("the outbox row is confirmed and deleted")
			.atMost(java.time.Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("SELECT COUNT(*) FROM outbox WHERE payload LIKE ?")
				.param("%" + orderId + "%")
				.query(Long.class)
				.single() == 0);
	}

	@Test
	void sameMessageDeliveredTwiceHasOneEffect() {
		String orderId = UUID.randomUUID().toString();
		String envelope = this.messages.placed(orderId, WorkerMessages.newUser(), 1, 2900, Instant.now());
		double duplicatesBefore = duplicates();
		this.messages.publish("order.placed", envelope);
		this.messages.publish("order.placed", envelope);

		this.messages.awaitResult(orderId);
		Awaitility.await("the second delivery is recognised")
			.atMost(Duration.ofSeconds(20))
			.until(() -> duplicates() > duplicatesBefore);
		assertThat(authorizations(orderId)).isEqualTo(1);
		assertThat(this.messages.results(orderId)).hasSize(1);
		assertThat(inboxed(WorkerMessages.messageId(envelope))).isTrue();
	}

	@Test
	void anotherPlacementOfADecidedOrderAuthorisesNothing() {
		String orderId = UUID.randomUUID().toString();
		long user = WorkerMessages.newUser();
		this.messages.publish("order.placed", this.messages.placed(orderId, user, 1, 2900, Instant.now()));
		this.messages.awaitResult(orderId);
		// the same event with a new message id (not a redelivery): the order's state,
		// not the inbox, prevents a second authorisation
		String again = this.messages.placed(orderId, user, 1, 2900, Instant.now());
		this.messages.publish("order.placed", again);
		Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> inboxed(WorkerMessages.messageId(again)));
		assertThat(authorizations(orderId)).isEqualTo(1);
		assertThat(this.messages.results(orderId)).hasSize(1);
	}

	@Test
	void amountAboveTheLimitIsDeclinedAndRejected() {
		String orderId = UUID.randomUUID().toString();
		this.messages.publish("order.placed",
				this.messages.placed(orderId, WorkerMessages.newUser(), 21, 49900, Instant.now()));

		JsonNode result = this.messages.awaitResult(orderId);
		assertThat(result.get("outcome").asString()).isEqualTo("REJECTED");
		assertThat(result.get("reason").asString()).contains("declined");
		assertThat(result.has("paymentId")).isFalse();
		assertThat(authorizations(orderId)).isZero();
		assertThat(status(orderId)).isEqualTo("REJECTED");
	}

	@Test
	void cancellationDuringTheAuthorisationVoidsThePayment() {
		String orderId = UUID.randomUUID().toString();
		this.messages.publish("order.placed",
				this.messages.placed(orderId, WorkerMessages.SLOW_USER, 1, 8900, Instant.now()));
		Awaitility.await("the payment call is in progress")
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> this.meters.get("payments.in-flight").gauge().value() > 0);
		this.messages.publish("order.cancelled", this.messages.cancelled(orderId, WorkerMessages.SLOW_USER, null));

		Awaitility.await("cancelled after the authorisation")
			.atMost(Duration.ofSeconds(20))
			.until(() -> "CANCELLED".equals(status(orderId)));
		assertThat(this.jdbc.sql("SELECT status FROM payment_authorization WHERE order_id = ?")
			.param(orderId)
			.query(String.class)
			.list()).containsExactly("VOIDED");
	}

	@Test
	void cancellationBeforeThePlacementAuthorisesNothing() {
		String orderId = UUID.randomUUID().toString();
		long user = WorkerMessages.newUser();
		this.messages.publish("order.cancelled", this.messages.cancelled(orderId, user, null));
		Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "CANCELLED".equals(status(orderId)));
		String placed = this.messages.placed(orderId, user, 1, 8900, Instant.now());
		this.messages.publish("order.placed", placed);

		Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> inboxed(WorkerMessages.messageId(placed)));
		assertThat(status(orderId)).isEqualTo("CANCELLED");
		assertThat(authorizations(orderId)).isZero();
		assertThat(this.messages.results(orderId)).isEmpty();
	}

	@Test
	void timeoutInOrderServiceVoidsThePaymentAndCountsAsRejected() {
		String orderId = UUID.randomUUID().toString();
		long user = WorkerMessages.newUser();
		this.messages.publish("order.placed", this.messages.placed(orderId, user, 1, 8900, Instant.now()));
		this.messages.awaitResult(orderId);
		this.messages.publish("order.cancelled", this.messages.cancelled(orderId, user, "timeout"));

		Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "REJECTED".equals(status(orderId)));
		assertThat(this.jdbc.sql("SELECT reason FROM order_state WHERE order_id = ?")
			.param(orderId)
			.query(String.class)
			.single()).isEqualTo("timeout");
		assertThat(this.jdbc.sql("SELECT status FROM payment_authorization WHERE order_id = ?")
			.param(orderId)
			.query(String.class)
			.list()).containsExactly("VOIDED");
	}

	private long authorizations(String orderId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM payment_authorization WHERE order_id = ?")
			.param(orderId)
			.query(Long.class)
			.single();
	}

	private String status(String orderId) {
		return this.jdbc.sql("SELECT status FROM order_state WHERE order_id = ?")
			.param(orderId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private boolean inboxed(String messageId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM inbox WHERE message_id = ?")
			.param(messageId)
			.query(Long.class)
			.single() == 1;
	}

	private double duplicates() {
		return this.meters.get("messages.consumed")
			.tag("queue", "worker.order-placed")
			.tag("outcome", "duplicates")
			.counter()
			.count();
	}

}
