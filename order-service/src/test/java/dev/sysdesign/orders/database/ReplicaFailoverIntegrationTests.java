package dev.sysdesign.orders.database;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.PlatformInfrastructure.Component;
import dev.sysdesign.testing.TcpProxy;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica that dies in the middle of a read: its connection is cut (through a TCP
 * proxy) between two queries of one read-only transaction. The read does not fail; it is
 * run again on the primary.
 */
@SpringBootTest(properties = "platform.datasource.replica.check-interval=200ms")
@UsePlatformInfrastructure(schema = "orders", proxied = Component.REPLICA)
@Import(ReplicaFailoverIntegrationTests.ReaderConfiguration.class)
class ReplicaFailoverIntegrationTests {

	@Autowired
	TwoStepReader reader;

	/** The health of the one replica the test harness configures. */
	ReplicaHealth replicaHealth;

	@Autowired
	void replicas(Replicas replicas) {
		this.replicaHealth = replicas.all().get(0).health();
	}

	@Test
	void readWhoseReplicaConnectionBreaksIsRetriedOnThePrimary() {
		PlatformInfrastructure infrastructure = PlatformInfrastructure.get();
		String primaryServerId = infrastructure.primary().queryValue("SELECT @@server_id");
		String replicaServerId = infrastructure.replica().queryValue("SELECT @@server_id");
		TcpProxy replicaProxy = infrastructure.proxy(Component.REPLICA);
		await().atMost(Duration.ofSeconds(30)).until(this.replicaHealth::usable);
		assertThat(this.reader.read(() -> {
		})).isEqualTo(replicaServerId);

		AtomicInteger attempts = new AtomicInteger();
		String answeredBy = this.reader.read(() -> {
			if (attempts.incrementAndGet() == 1) {
				replicaProxy.cut();
			}
		});

		assertThat(answeredBy).isEqualTo(primaryServerId);
		assertThat(attempts).hasValue(2);
		await().atMost(Duration.ofSeconds(10)).until(this.replicaHealth::usable);
		assertThat(this.reader.read(() -> {
		})).isEqualTo(replicaServerId);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ReaderConfiguration {

		@Bean
		TwoStepReader twoStepReader(JdbcClient jdbc) {
			return new TwoStepReader(jdbc);
		}

	}

	/** A read-only service method that runs two queries, with a hook between them. */
	static class TwoStepReader {

		private final JdbcClient jdbc;

		TwoStepReader(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional(readOnly = true)
		public String read(Runnable between) {
			String first = this.jdbc.sql("SELECT @@server_id").query(String.class).single();
			between.run();
			String second = this.jdbc.sql("SELECT @@server_id").query(String.class).single();
			assertThat(second).isEqualTo(first);
			return second;
		}

	}

}
