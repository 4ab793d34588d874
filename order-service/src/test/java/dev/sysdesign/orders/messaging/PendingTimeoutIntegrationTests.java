package dev.sysdesign.orders.messaging;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.orders.TestData;
import dev.sysdesign.testing.MessageProbe;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An order the worker never decides is rejected with reason {@code timeout} by the
 * cluster-wide job, once: its stock is released, its owner sees it, and the worker is
 * told (to void any payment).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "orders.pending.timeout=2s", "orders.pending.check-interval=500ms",
				"platform.scheduler.polling-interval=200ms" })
@UsePlatformInfrastructure(schema = "orders", scheduledJobs = true)
@DirtiesContext
class PendingTimeoutIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Test
	void orderPendingPastTheTimeoutIsRejectedOnce() {
		RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		String sku = TestData.newProduct(this.jdbc, 10, 700);
		long user = TestData.newUser();
		try (MessageProbe probe = MessageProbe.watch("order-events", "order.*")) {
			String id = TestData.placeOrder(client, user, sku, 3);
			// the stock is reserved while the order is pending (read together: the
			// timeout is
			// 2 s here, and a slow machine may already be past it)
			String state = this.jdbc.sql(
					"SELECT CONCAT(o.status, ':', p.stock) FROM purchase_order o, product p WHERE o.id = ? AND p.sku = ?")
				.params(id, sku)
				.query(String.class)
				.single();
			assertThat(state).isIn("PENDING:7", "REJECTED:10");

			// (up to a minute: an execution taken by an instance that died is taken over
			// after its heartbeats stop)
			await().atMost(Duration.ofSeconds(60))
				.until(() -> "REJECTED".equals(this.jdbc.sql("SELECT status FROM purchase_order WHERE id = ?")
					.param(id)
					.query(String.class)
					.single()));
			assertThat(TestData.stock(this.jdbc, sku)).isEqualTo(10);
			client.get()
				.uri("/api/orders/" + id)
				.header("X-User-Id", Long.toString(user))
				.exchange()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("REJECTED")
				.jsonPath("$.failureReason")
				.isEqualTo("timeout");
			await().atMost(Duration.ofSeconds(10)).until(() -> types(probe, id).size() == 3);
			// a few more runs of the job change nothing
			double runs = this.meters.get("orders.timed-out").counter().count();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.jdbc
					.sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'reject-timed-out-orders' "
							+ "AND last_success > UTC_TIMESTAMP(6) - INTERVAL 1 SECOND")
					.query(Long.class)
					.single() == 1);
			assertThat(types(probe, id)).containsExactlyInAnyOrder("order.placed", "order.status-changed",
					"order.cancelled");
			JsonNode cancelled = probe.forOrder(id)
				.stream()
				.map(MessageProbe.Received::envelope)
				.filter((envelope) -> envelope.get("type").asString().equals("order.cancelled"))
				.findFirst()
				.orElseThrow()
				.get("data");
			assertThat(cancelled.get("reason").asString()).isEqualTo("timeout");
			assertThat(this.meters.get("orders.timed-out").counter().count()).isEqualTo(runs);
		}
	}

	private static List<String> types(MessageProbe probe, String id) {
		return probe.forOrder(id).stream().map((m) -> m.envelope().get("type").asString()).toList();
	}

}
