package dev.sysdesign.orders.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.messaging.ConfirmedPublisher;
import dev.sysdesign.orders.OrderServiceIntegrationTest;
import dev.sysdesign.orders.TestData;
import dev.sysdesign.orders.database.ReplicaHealth;
import dev.sysdesign.orders.database.Replicas;
import dev.sysdesign.orders.order.OrderStatus;
import dev.sysdesign.orders.order.OrderStatusChanged;
import dev.sysdesign.testing.MessageProbe;
import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order-service's messages through the real broker: events leave through the outbox
 * with the envelope, message id and trace context; the worker's results move orders on
 * once, release stock on rejection, never override a cancellation, and are read back by
 * their owner at once; malformed results are dead-lettered; every instance hears of each
 * status change.
 */
@OrderServiceIntegrationTest
class OrderMessagingIntegrationTests {

	static MessageProbe orderEvents;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ConfirmedPublisher publisher;

	/** The health of the one replica the test harness configures. */
	ReplicaHealth replicaHealth;

	@Autowired
	void replicas(Replicas replicas) {
		this.replicaHealth = replicas.all().get(0).health();
	}

	@Autowired
	ConfigurableApplicationContext context;

	RestTestClient client;

	WorkerResults worker;

	@BeforeAll
	static void watch() {
		orderEvents = MessageProbe.watch("order-events", "order.#");
	}

	@AfterAll
	static void stopWatching() {
		orderEvents.close();
	}

	@BeforeEach
	void setUp() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		this.worker = new WorkerResults(this.publisher);
	}

	@Test
	void placingAnOrderPublishesOrderPlacedAfterTheCommitWithItsEnvelopeAndTrace() {
		String sku = TestData.newProduct(this.jdbc, 100, 1250);
		long user = TestData.newUser();
		String id = TestData.placeOrder(this.client, user, sku, 3);

		MessageProbe.Received message = orderEvents.await(id, Duration.ofSeconds(10));
		JsonNode envelope = message.envelope();
		assertThat(envelope.get("type").asString()).isEqualTo("order.placed");
		assertThat(message.properties().getMessageId()).isEqualTo(envelope.get("messageId").asString());
		assertThat(message.properties().getType()).isEqualTo("order.placed");
		assertThat(message.properties().getDeliveryMode()).as("persistent").isEqualTo(2);
		assertThat(message.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
		assertThat(envelope.get("occurredAt").asString()).endsWith("Z");
		JsonNode data = envelope.get("data");
		assertThat(data.get("userId").asLong()).isEqualTo(user);
		assertThat(data.get("totalCents").asLong()).isEqualTo(3750);
		assertThat(data.get("items").get(0).get("sku").asString()).isEqualTo(sku);
		assertThat(data.get("items").get(0).get("quantity").asInt()).isEqualTo(3);
		assertThat(data.get("items").get(0).get("unitPriceCents").asLong()).isEqualTo(1250);
		await("the row is deleted once the broker confirmed it").atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("SELECT COUNT(*) FROM outbox WHERE message_id = ?")
				.param(message.properties().getMessageId())
				.query(Long.class)
				.single() == 0);
	}

	@Test
	void confirmationIsAppliedOnceAndTheOwnerReadsItAtOnceWhileTheReplicaLags() {
		String sku = TestData.newProduct(this.jdbc, 100, 500);
		long user = TestData.newUser();
		String id = TestData.placeOrder(this.client, user, sku, 1);
		String result = WorkerResults.confirmed(id);
		PlatformInfrastructure infrastructure = PlatformInfrastructure.get();
		infrastructure.delayReplica(Duration.ofSeconds(2));
		try {
			await().atMost(Duration.ofSeconds(10)).until(this.replicaHealth::usable);
			this.worker.publish(result);
			this.worker.publish(result);
			await().atMost(Duration.ofSeconds(10)).until(() -> statusOnPrimary(id).equals("CONFIRMED"));

			// the consumer records the write for the owner right after its commit: within
			// a
			// second of the commit the owner reads CONFIRMED, while the replica is still
			// 2 s
			// behind (so the replica catching up cannot be what passes this)
			await().atMost(Duration.ofSeconds(1))
				.untilAsserted(() -> this.client.get()
					.uri("/api/orders/" + id)
					.header("X-User-Id", Long.toString(user))
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.status")
					.isEqualTo("CONFIRMED"));
		}
		finally {
			infrastructure.delayReplica(Duration.ZERO);
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> inboxed(WorkerResults.messageId(result)) && statusChanges(id).size() == 1);
		assertThat(statusChanges(id).get(0).get("status").asString()).isEqualTo("CONFIRMED");
		assertThat(this.jdbc.sql("SELECT payment_id FROM purchase_order WHERE id = ?")
			.param(id)
			.query(String.class)
			.single()).startsWith("pay_test_");
	}

	@Test
	void rejectionReleasesTheStock() {
		String sku = TestData.newProduct(this.jdbc, 10, 500);
		long user = TestData.newUser();
		String id = TestData.placeOrder(this.client, user, sku, 4);
		assertThat(TestData.stock(this.jdbc, sku)).isEqualTo(6);

		this.worker.publish(WorkerResults.rejected(id, "payment declined"));

		await().atMost(Duration.ofSeconds(10)).until(() -> statusOnPrimary(id).equals("REJECTED"));
		assertThat(TestData.stock(this.jdbc, sku)).isEqualTo(10);
		this.client.get()
			.uri("/api/orders/" + id)
			.header("X-User-Id", Long.toString(user))
			.exchange()
			.expectBody()
			.jsonPath("$.failureReason")
			.isEqualTo("payment declined");
	}

	@Test
	void lateResultNeverOverridesACancellation() {
		String sku = TestData.newProduct(this.jdbc, 10, 500);
		long user = TestData.newUser();
		String id = TestData.placeOrder(this.client, user, sku, 2);
		TestData.cancelOrder(this.client, user, id);
		MessageProbe.Received cancelled = await().atMost(Duration.ofSeconds(10))
			.until(() -> orderEvents.forOrder(id)
				.stream()
				.filter((m) -> m.envelope().get("type").asString().equals("order.cancelled"))
				.findFirst()
				.orElse(null), (m) -> m != null);
		assertThat(cancelled.envelope().get("data").has("reason")).isFalse();
		String result = WorkerResults.confirmed(id);

		this.worker.publish(result);

		await().atMost(Duration.ofSeconds(10)).until(() -> inboxed(WorkerResults.messageId(result)));
		assertThat(statusOnPrimary(id)).isEqualTo("CANCELLED");
		assertThat(TestData.stock(this.jdbc, sku)).as("released once").isEqualTo(10);
	}

	@Test
	void malformedResultsAreDeadLetteredWithTheReason() {
		String unknownOrder = WorkerResults.confirmed("00000000-0000-0000-0000-000000000000");
		String badOutcome = WorkerResults.envelope(tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.createObjectNode()
			.put("orderId", "00000000-0000-0000-0000-000000000001")
			.put("outcome", "MAYBE"));
		try (MessageProbe dead = MessageProbe.watch("dead-letters", "#")) {
			this.worker.publish(unknownOrder);
			this.worker.publish(badOutcome);

			await().atMost(Duration.ofSeconds(10))
				.until(() -> dead.all().size() >= 2 && errorOf(dead, unknownOrder) != null
						&& errorOf(dead, badOutcome) != null);
			assertThat(errorOf(dead, unknownOrder))
				.isEqualTo("malformed: unknown order 00000000-0000-0000-0000-000000000000");
			assertThat(errorOf(dead, badOutcome)).contains("outcome must be CONFIRMED or REJECTED");
		}
	}

	@Test
	void everyStatusChangeReachesThisInstanceAsAnApplicationEvent() {
		List<OrderStatusChanged> heard = new CopyOnWriteArrayList<>();
		ApplicationListener<PayloadApplicationEvent<OrderStatusChanged>> listener = (event) -> heard
			.add(event.getPayload());
		this.context.addApplicationListener(listener);
		try {
			String sku = TestData.newProduct(this.jdbc, 10, 500);
			long user = TestData.newUser();
			String id = TestData.placeOrder(this.client, user, sku, 1);
			TestData.cancelOrder(this.client, user, id);

			await().atMost(Duration.ofSeconds(10))
				.until(() -> heard.stream().anyMatch((change) -> change.orderId().toString().equals(id)));
			OrderStatusChanged change = heard.stream()
				.filter((candidate) -> candidate.orderId().toString().equals(id))
				.findFirst()
				.orElseThrow();
			assertThat(change.status()).isEqualTo(OrderStatus.CANCELLED);
			assertThat(change.userId()).isEqualTo(user);
		}
		finally {
			this.context.removeApplicationListener(listener);
		}
	}

	private String errorOf(MessageProbe dead, String envelope) {
		String messageId = WorkerResults.messageId(envelope);
		return dead.all()
			.stream()
			.filter((m) -> messageId.equals(m.properties().getMessageId()))
			.map((m) -> m.header("x-error"))
			.findFirst()
			.orElse(null);
	}

	private List<JsonNode> statusChanges(String id) {
		return orderEvents.forOrder(id)
			.stream()
			.map(MessageProbe.Received::envelope)
			.filter((envelope) -> envelope.get("type").asString().equals("order.status-changed"))
			.map((envelope) -> envelope.get("data"))
			.toList();
	}

	private String statusOnPrimary(String id) {
		return this.jdbc.sql("SELECT status FROM purchase_order WHERE id = ?").param(id).query(String.class).single();
	}

	private boolean inboxed(String messageId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM inbox WHERE message_id = ?")
			.param(messageId)
			.query(Long.class)
			.single() == 1;
	}

}
