package dev.sysdesign.testing;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database pair replicates: what the primary commits appears on the replica, which is
 * a different server that refuses ordinary users' writes.
 */
class ReplicationIntegrationTests {

	private final PlatformInfrastructure infrastructure = PlatformInfrastructure.get();

	@Test
	void rowWrittenOnPrimaryAppearsOnReplica() {
		Database primary = this.infrastructure.primary();
		Database replica = this.infrastructure.replica();
		assertThat(replica.queryValue("SELECT @@server_id")).isNotEqualTo(primary.queryValue("SELECT @@server_id"));
		String value = UUID.randomUUID().toString();
		primary.execute("CREATE DATABASE IF NOT EXISTS harness",
				"CREATE TABLE IF NOT EXISTS harness.replicated (value VARCHAR(64) PRIMARY KEY)",
				"INSERT INTO harness.replicated VALUES ('" + value + "')");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(
					replica.queryValue("SELECT COUNT(*) FROM harness.replicated WHERE value = '" + value + "'"))
				.isEqualTo("1"));
	}

	@Test
	void replicaIsReadOnlyForServiceUsers() {
		Database replica = this.infrastructure.replica();
		assertThat(replica.queryValue("SELECT @@read_only")).isIn("1", "ON");
	}

	@Test
	void replicaStopsAndStartsForReal() {
		Database replica = this.infrastructure.replica();
		this.infrastructure.stopReplica();
		try {
			assertThat(canConnect(replica)).isFalse();
		}
		finally {
			this.infrastructure.startReplica();
		}
		assertThat(canConnect(replica)).isTrue();
	}

	private static boolean canConnect(Database database) {
		try {
			database.queryValue("SELECT 1");
			return true;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

}
