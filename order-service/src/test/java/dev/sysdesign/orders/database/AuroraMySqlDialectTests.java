package dev.sysdesign.orders.database;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Aurora MySQL 3 side of the dialect against answers shaped as Aurora gives them
 * ({@code information_schema.replica_host_status}: one row per instance, the writer's
 * with {@code SESSION_ID = 'MASTER_SESSION_ID'}, readers' with a session id and a lag in
 * milliseconds). No Aurora runs where these tests run.
 */
class AuroraMySqlDialectTests {

	private static final String OWN_STATUS = """
			SELECT SESSION_ID AS session_id, REPLICA_LAG_IN_MILLISECONDS AS lag_ms,
			  TIMESTAMPDIFF(MICROSECOND, LAST_UPDATE_TIMESTAMP, UTC_TIMESTAMP(6)) DIV 1000 AS age_ms,
			  ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS now_ms
			FROM information_schema.replica_host_status WHERE SERVER_ID = @@aurora_server_id""";

	private final DatabaseDialect dialect = new AuroraMySqlDialect();

	/**
	 * A reader's own row: its session, its lag, the age of that status, the reader's
	 * clock.
	 */
	private static Map<String, @Nullable String> reader(@Nullable String lagMillis, String ageMillis,
			String nowMillis) {
		Map<String, @Nullable String> row = new HashMap<>();
		row.put("session_id", "b7c3e5a1-2f4d-4e8a-9c11-5d2a7f0e3b64");
		row.put("lag_ms", lagMillis);
		row.put("age_ms", ageMillis);
		row.put("now_ms", nowMillis);
		return row;
	}

	@Test
	void readerWithinTheMaximumLagIsUsable() throws SQLException {
		RecordedSql sql = new RecordedSql().answer(OWN_STATUS, reader("18.52", "412", "1764655200000"));
		DatabaseDialect.ReplicaStatus status = this.dialect.replicaStatus(sql);
		assertThat(status).isEqualTo(new DatabaseDialect.ReplicaStatus(true, true, true, 1L, ""));
		assertThat(status.unusableReason(Duration.ofSeconds(2))).isEmpty();
	}

	@Test
	void laggingReaderIsSkipped() throws SQLException {
		DatabaseDialect.ReplicaStatus status = this.dialect
			.replicaStatus(new RecordedSql().answer(OWN_STATUS, reader("2350", "300", "1764655200000")));
		assertThat(status.lagSeconds()).isEqualTo(3L);
		assertThat(status.unusableReason(Duration.ofSeconds(2))).isEqualTo("lagging");
	}

	@Test
	void readerWhoseStatusIsStaleIsNotReplicating() throws SQLException {
		DatabaseDialect.ReplicaStatus status = this.dialect
			.replicaStatus(new RecordedSql().answer(OWN_STATUS, reader("12", "45000", "1764655200000")));
		assertThat(status.unusableReason(Duration.ofSeconds(2))).isEqualTo("not-replicating");
	}

	@Test
	void theWriterBehindTheReaderEndpointIsNotAReplica() throws SQLException {
		Map<String, @Nullable String> writer = reader("0", "200", "1764655200000");
		writer.put("session_id", "MASTER_SESSION_ID");
		assertThat(this.dialect.replicaStatus(new RecordedSql().answer(OWN_STATUS, writer)))
			.isEqualTo(DatabaseDialect.ReplicaStatus.NOT_A_REPLICA);
		assertThat(this.dialect.replicaStatus(new RecordedSql().answer(OWN_STATUS, null)))
			.isEqualTo(DatabaseDialect.ReplicaStatus.NOT_A_REPLICA);
	}

	@Test
	void committedPositionIsTheWritersClockInMilliseconds() throws SQLException {
		RecordedSql sql = new RecordedSql().answer("SELECT ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS position",
				Map.of("position", "1764655199950"));
		assertThat(this.dialect.committedPosition(sql).toString()).isEqualTo("1764655199950");
		assertThat(this.dialect.parse("1764655199949").merge(this.dialect.parse("1764655199950")).toString())
			.as("the later write wins")
			.isEqualTo("1764655199950");
	}

	@Test
	void readerServesTheUsersReadOnlyOnceItHasAppliedPastTheWrite() throws SQLException {
		// status 400 ms old, 20 ms of lag: applied up to now - 420 ms
		RecordedSql sql = new RecordedSql().answer(OWN_STATUS, reader("20", "400", "1764655200000"));
		assertThat(this.dialect.awaitPosition(sql, this.dialect.parse("1764655199580"), Duration.ofMillis(200)))
			.isTrue();
		assertThat(this.dialect.awaitPosition(sql, this.dialect.parse("1764655199581"), Duration.ofMillis(200)))
			.as("a write after the applied point: the writer serves the read, nothing waits")
			.isFalse();
		assertThat(sql.queries).hasSize(2);
	}

	@Test
	void withoutAReaderStatusTheWriterServesTheUsersRead() throws SQLException {
		assertThat(this.dialect.awaitPosition(new RecordedSql().answer(OWN_STATUS, null), this.dialect.parse("1"),
				Duration.ofMillis(200)))
			.isFalse();
		assertThat(this.dialect.awaitPosition(new RecordedSql().answer(OWN_STATUS, reader(null, "10", "5")),
				this.dialect.parse("1"), Duration.ofMillis(200)))
			.isFalse();
	}

}
