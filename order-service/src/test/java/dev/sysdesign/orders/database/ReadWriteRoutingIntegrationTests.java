package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sysdesign.orders.OrderServiceIntegrationTest;
import dev.sysdesign.orders.TestData;
import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Read/write routing over the real primary/replica pair: read-only transactions on the
 * replica, writes on the primary, and reads that keep working — from the primary — while
 * the replica's process is stopped or it does not replicate, coming back by themselves.
 */
@OrderServiceIntegrationTest
class ReadWriteRoutingIntegrationTests {

	final PlatformInfrastructure infrastructure = PlatformInfrastructure.get();

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	/** The pool of the one replica the test harness configures. */
	HikariDataSource replicaPool;

	/** Its health. */
	ReplicaHealth replicaHealth;

	@Autowired
	void replicas(Replicas replicas) {
		this.replicaPool = replicas.all().get(0).pool();
		this.replicaHealth = replicas.all().get(0).health();
	}

	@Autowired
	MeterRegistry meters;

	String primaryServerId;

	String replicaServerId;

	@BeforeEach
	void replicaInUse() {
		this.primaryServerId = this.infrastructure.primary().queryValue("SELECT @@server_id");
		this.replicaServerId = this.infrastructure.replica().queryValue("SELECT @@server_id");
		assertThat(this.replicaServerId).isNotEqualTo(this.primaryServerId);
		await().atMost(Duration.ofSeconds(30)).until(this.replicaHealth::usable);
	}

	@Test
	void readOnlyTransactionRunsOnReplicaAndWriteOnPrimary() {
		assertThat(serverId(true)).isEqualTo(this.replicaServerId);
		assertThat(serverId(false)).isEqualTo(this.primaryServerId);
	}

	@Test
	void writeOnTheReplicaPoolFails() throws SQLException {
		try (Connection connection = this.replicaPool.getConnection();
				Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeUpdate("UPDATE product SET stock = stock WHERE sku = 'KB-001'"))
				.withMessageContaining("read");
		}
	}

	@Test
	void readsSucceedFromThePrimaryWhileTheReplicaIsStoppedAndReturnAfterItsRestart() {
		long user = TestData.newUser();
		String sku = TestData.newProduct(this.jdbc, 100, 300);
		RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		client.post()
			.uri("/api/orders")
			.header("X-User-Id", Long.toString(user))
			.header("Content-Type", "application/json")
			.body(TestData.orderOf(sku, 1))
			.exchange()
			.expectStatus()
			.isAccepted();
		double primaryReadsBefore = reads("primary");
		this.infrastructure.stopReplica();
		try {
			for (int i = 0; i < 20; i++) {
				client.get().uri("/api/products").exchange().expectStatus().isOk();
				client.get()
					.uri("/api/orders")
					.header("X-User-Id", Long.toString(user))
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.totalElements")
					.isEqualTo(1);
			}
			assertThat(serverId(true)).isEqualTo(this.primaryServerId);
			assertThat(this.replicaHealth.usable()).isFalse();
			assertThat(this.replicaHealth.state().reason()).isEqualTo("down");
			// the order lists at least (the catalog may come from the caches)
			assertThat(reads("primary") - primaryReadsBefore).isGreaterThanOrEqualTo(20);
		}
		finally {
			this.infrastructure.startReplica();
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(serverId(true)).isEqualTo(this.replicaServerId));
	}

	@Test
	void replicaThatDoesNotApplyChangesIsSkipped() {
		this.infrastructure.pauseReplicaApply();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> !this.replicaHealth.usable());
			assertThat(this.replicaHealth.state().reason()).isEqualTo("not-replicating");
			assertThat(serverId(true)).isEqualTo(this.primaryServerId);
			assertThat(this.meters.get("orders.db.replica.usable").gauge().value()).isZero();
		}
		finally {
			this.infrastructure.resumeReplicaApply();
		}
		await().atMost(Duration.ofSeconds(10)).until(this.replicaHealth::usable);
		assertThat(serverId(true)).isEqualTo(this.replicaServerId);
	}

	private String serverId(boolean readOnly) {
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		transaction.setReadOnly(readOnly);
		return transaction.execute((status) -> this.jdbc.sql("SELECT @@server_id").query(String.class).single());
	}

	private double reads(String pool) {
		return this.meters.find("orders.db.reads")
			.tag("pool", pool)
			.counters()
			.stream()
			.mapToDouble((c) -> c.count())
			.sum();
	}

}
