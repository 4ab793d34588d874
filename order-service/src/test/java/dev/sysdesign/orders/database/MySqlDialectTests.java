package dev.sysdesign.orders.database;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MySQL 8.4 side of the dialect against answers recorded from a MySQL 8.4 server (no
 * MySQL runs where these tests run without Docker).
 */
class MySqlDialectTests {

	private final DatabaseDialect dialect = DatabaseDialect.of("MySQL", "8.4.6");

	/**
	 * {@code SHOW REPLICA STATUS} of a healthy MySQL 8.4.6 replica (abridged to the
	 * columns read).
	 */
	private static Map<String, @Nullable String> replicaStatus(String io, String sql, @Nullable String lag) {
		Map<String, @Nullable String> row = new HashMap<>();
		row.put("Replica_IO_State", "Waiting for source to send event");
		row.put("Source_Host", "mysql-primary");
		row.put("Source_User", "repl");
		row.put("Source_Port", "3306");
		row.put("Replica_IO_Running", io);
		row.put("Replica_SQL_Running", sql);
		row.put("Last_Errno", "0");
		row.put("Last_Error", "");
		row.put("Seconds_Behind_Source", lag);
		row.put("Retrieved_Gtid_Set", "8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-42");
		row.put("Executed_Gtid_Set", "8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-42");
		row.put("Auto_Position", "1");
		return row;
	}

	@Test
	void picksMySqlForMySqlServersOnly() {
		assertThat(this.dialect).isInstanceOf(MySqlDialect.class);
		assertThat(DatabaseDialect.of("MySQL", "10.11.19-MariaDB-0+deb12u1")).isInstanceOf(MariaDbDialect.class);
		assertThat(DatabaseDialect.of("MariaDB", "10.11.19")).isInstanceOf(MariaDbDialect.class);
	}

	@Test
	void readsHealthyReplicaStatus() throws SQLException {
		RecordedSql sql = new RecordedSql().answer("SHOW REPLICA STATUS", replicaStatus("Yes", "Yes", "0"));
		DatabaseDialect.ReplicaStatus status = this.dialect.replicaStatus(sql);
		assertThat(status).isEqualTo(new DatabaseDialect.ReplicaStatus(true, true, true, 0L, ""));
		assertThat(status.unusableReason(Duration.ofSeconds(2))).isEmpty();
	}

	@Test
	void stoppedApplierHasUnknownLagAndIsNotReplicating() throws SQLException {
		Map<String, @Nullable String> row = replicaStatus("Yes", "No", null);
		row.put("Last_Error", "Error 'Duplicate entry' on query");
		DatabaseDialect.ReplicaStatus status = this.dialect
			.replicaStatus(new RecordedSql().answer("SHOW REPLICA STATUS", row));
		assertThat(status.lagSeconds()).isNull();
		assertThat(status.error()).contains("Duplicate entry");
		assertThat(status.unusableReason(Duration.ofSeconds(2))).isEqualTo("not-replicating");
	}

	@Test
	void laggingReplicaBeyondThresholdIsSkipped() throws SQLException {
		DatabaseDialect.ReplicaStatus status = this.dialect
			.replicaStatus(new RecordedSql().answer("SHOW REPLICA STATUS", replicaStatus("Yes", "Yes", "7")));
		assertThat(status.unusableReason(Duration.ofSeconds(2))).isEqualTo("lagging");
		assertThat(status.unusableReason(Duration.ofSeconds(10))).isEmpty();
	}

	@Test
	void serverWithoutReplicationIsNotAReplica() throws SQLException {
		assertThat(this.dialect.replicaStatus(new RecordedSql().answer("SHOW REPLICA STATUS", null)))
			.isEqualTo(DatabaseDialect.ReplicaStatus.NOT_A_REPLICA);
	}

	@Test
	void committedPositionIsTheExecutedGtidSet() throws SQLException {
		RecordedSql sql = new RecordedSql().answer("SELECT @@GLOBAL.gtid_executed AS position", Map.of("position",
				"8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-43,\n9a7c1e2b-9d1b-11ef-8f3e-0242ac120003:1-5"));
		assertThat(this.dialect.committedPosition(sql).toString())
			.isEqualTo("8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-43,9a7c1e2b-9d1b-11ef-8f3e-0242ac120003:1-5");
	}

	@Test
	void waitsWithWaitForExecutedGtidSetInSeconds() throws SQLException {
		String query = "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS outcome";
		RecordedSql reached = new RecordedSql().answer(query, Map.of("outcome", "0"));
		assertThat(this.dialect.awaitPosition(reached, this.dialect.parse("8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-43"),
				Duration.ofMillis(200)))
			.isTrue();
		assertThat(reached.parameters.get(0)).isEqualTo(List.of("8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-43", 0.2));
		RecordedSql timedOut = new RecordedSql().answer(query, Map.of("outcome", "1"));
		assertThat(this.dialect.awaitPosition(timedOut, this.dialect.parse("8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-2"),
				Duration.ofMillis(200)))
			.isFalse();
	}

	/**
	 * Two writes in a row recorded out of order (the second's set read first, as two
	 * instances or a late publication can do): the merged position still holds the second
	 * write. A constant ordinal let the older set overwrite the newer one.
	 */
	@Test
	void gtidSetsMergeAndNeverGoBack() {
		ReplicationPosition first = this.dialect.parse("8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-42");
		ReplicationPosition second = this.dialect.parse("8E2F6A4C-9D1B-11EF-B6A3-0242AC120002:1-43");
		assertThat(second.merge(first).toString()).isEqualTo("8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-43");
		assertThat(first.merge(second).toString()).isEqualTo("8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-43");
	}

	@Test
	void gtidSetsOfSeveralServersAndGapsAreKeptAsRecorded() {
		// as read from @@GLOBAL.gtid_executed after a failover: two server UUIDs, one
		// with a gap
		ReplicationPosition afterFailover = this.dialect
			.parse("8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-100:102-110,\n9a7c1e2b-9d1b-11ef-8f3e-0242ac120003:1-5");
		ReplicationPosition beforeFailover = this.dialect.parse("8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-97");
		assertThat(beforeFailover.merge(afterFailover).toString())
			.isEqualTo("8e2f6a4c-9d1b-11ef-b6a3-0242ac120002:1-100:102-110,9a7c1e2b-9d1b-11ef-8f3e-0242ac120003:1-5");
		assertThat(afterFailover.parts()).containsEntry("9a7c1e2b-9d1b-11ef-8f3e-0242ac120003",
				new ReplicationPosition.Part(5, "9a7c1e2b-9d1b-11ef-8f3e-0242ac120003:1-5"));
	}

}
