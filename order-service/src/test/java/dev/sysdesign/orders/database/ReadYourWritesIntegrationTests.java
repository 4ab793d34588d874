package dev.sysdesign.orders.database;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.orders.OrderServiceIntegrationTest;
import dev.sysdesign.orders.TestData;
import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Users read their own writes while the replica is healthy but behind: the writer's reads
 * wait for the write on the replica (bounded) or go to the primary; other users' reads
 * stay on the replica.
 */
@OrderServiceIntegrationTest
class ReadYourWritesIntegrationTests {

	final PlatformInfrastructure infrastructure = PlatformInfrastructure.get();

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	/** The health of the one replica the test harness configures. */
	ReplicaHealth replicaHealth;

	@Autowired
	void replicas(Replicas replicas) {
		this.replicaHealth = replicas.all().get(0).health();
	}

	@Autowired
	MeterRegistry meters;

	RestTestClient client;

	@BeforeEach
	void setUp() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		await().atMost(Duration.ofSeconds(30)).until(this.replicaHealth::usable);
	}

	@Test
	void writerReadsOwnOrderAtOnceWhileReplicaLagsAndOthersStayOnReplica() {
		String sku = TestData.newProduct(this.jdbc, 100, 300);
		long writer = TestData.newUser();
		long other = TestData.newUser();
		this.infrastructure.delayReplica(Duration.ofSeconds(1));
		try {
			await().atMost(Duration.ofSeconds(10)).until(this.replicaHealth::usable);
			double timeoutsBefore = counter("orders.db.gtid.waits", "outcome", "timeout");
			double hitsBefore = counter("orders.db.gtid.waits", "outcome", "hit");
			double primaryBefore = counter("orders.db.reads", "reason", "read-your-writes");

			String id = place(writer, sku);
			this.client.get()
				.uri("/api/orders/" + id)
				.header("X-User-Id", Long.toString(writer))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("PENDING");
			this.client.get()
				.uri("/api/orders")
				.header("X-User-Id", Long.toString(writer))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.content[0].id")
				.isEqualTo(id);
			// each read waited for the writer's position: on a replica applying 1 s late
			// the
			// 200 ms wait times out (unless the machine stalled that long) and the
			// primary serves
			double timeouts = counter("orders.db.gtid.waits", "outcome", "timeout") - timeoutsBefore;
			assertThat(timeouts + counter("orders.db.gtid.waits", "outcome", "hit") - hitsBefore).isEqualTo(2);
			assertThat(counter("orders.db.reads", "reason", "read-your-writes") - primaryBefore).isEqualTo(timeouts);

			double waitsBefore = counter("orders.db.gtid.waits", "outcome", "timeout")
					+ counter("orders.db.gtid.waits", "outcome", "hit");
			// (a list: single orders may come from the caches)
			this.client.get()
				.uri("/api/orders")
				.header("X-User-Id", Long.toString(other))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.totalElements")
				.isEqualTo(0);
			assertThat(counter("orders.db.gtid.waits", "outcome", "timeout")
					+ counter("orders.db.gtid.waits", "outcome", "hit"))
				.as("another user's read waits for nothing")
				.isEqualTo(waitsBefore);
		}
		finally {
			this.infrastructure.delayReplica(Duration.ZERO);
		}
	}

	/**
	 * Two writes in a row, then a list, on a lagging replica: the list holds both. (On
	 * MySQL a position recorded late used to overwrite a newer one.)
	 */
	@Test
	void twoWritesInARowThenAListSeesBoth() {
		String sku = TestData.newProduct(this.jdbc, 100, 300);
		long writer = TestData.newUser();
		this.infrastructure.delayReplica(Duration.ofSeconds(2));
		try {
			await().atMost(Duration.ofSeconds(10)).until(this.replicaHealth::usable);
			String first = place(writer, sku);
			String second = place(writer, sku);
			this.client.get()
				.uri("/api/orders")
				.header("X-User-Id", Long.toString(writer))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.totalElements")
				.isEqualTo(2)
				.jsonPath("$.content[0].id")
				.isEqualTo(second)
				.jsonPath("$.content[1].id")
				.isEqualTo(first);
		}
		finally {
			this.infrastructure.delayReplica(Duration.ZERO);
		}
	}

	@Test
	void writerReadsFromReplicaOnceItCaughtUp() {
		String sku = TestData.newProduct(this.jdbc, 100, 300);
		long writer = TestData.newUser();
		String id = place(writer, sku);
		// the replica has applied the write: the read's wait for it succeeds at once
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.infrastructure.replica()
				.queryValue("SELECT COUNT(*) FROM orders.purchase_order WHERE id = '" + id + "'")
				.equals("1"));
		double hitsBefore = counter("orders.db.gtid.waits", "outcome", "hit");
		double replicaBefore = counter("orders.db.reads", "pool", "replica");
		this.client.get()
			.uri("/api/orders/" + id)
			.header("X-User-Id", Long.toString(writer))
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(counter("orders.db.gtid.waits", "outcome", "hit") - hitsBefore).isEqualTo(1);
		assertThat(counter("orders.db.reads", "pool", "replica") - replicaBefore).isEqualTo(1);
	}

	private String place(long user, String sku) {
		return TestData.placeOrder(this.client, user, sku, 1);
	}

	private double counter(String name, String tag, String value) {
		return this.meters.find(name).tag(tag, value).counters().stream().mapToDouble((c) -> c.count()).sum();
	}

}
