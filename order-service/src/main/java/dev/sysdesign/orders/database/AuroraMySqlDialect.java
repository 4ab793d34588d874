package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Aurora MySQL 3 (MySQL 8.0 compatible). Aurora readers share the writer's storage and do
 * not replicate through the binary log: {@code SHOW REPLICA STATUS} returns no row on
 * them and there is no GTID to wait for. Instead:
 * <ul>
 * <li>replica health: the reader's own row of
 * {@code information_schema.replica_host_status} (found by {@code @@aurora_server_id}):
 * its {@code REPLICA_LAG_IN_MILLISECONDS}, and how old that status is. The writer's row
 * ({@code SESSION_ID = 'MASTER_SESSION_ID'}, which the reader endpoint answers with when
 * the cluster has no reader) is not a replica; a status older than {@link #STALE_AFTER}
 * means the reader lost contact;</li>
 * <li>read-your-writes: the position of a commit is the writer's clock at the commit, in
 * epoch milliseconds; a reader has applied it once the time up to which it has applied
 * the writer's changes, as of its last status update ({@code LAST_UPDATE_TIMESTAMP} minus
 * its lag), is not before it. Nothing is waited for: until then the user's reads go to
 * the writer, which for Aurora's usual lag (tens of milliseconds) means the writer for
 * about the measured lag after each write. A stale status only sends more reads to the
 * writer, never one to a reader that lacks the write.</li>
 * </ul>
 * Chosen when the server answers {@code @@aurora_version}.
 */
final class AuroraMySqlDialect implements DatabaseDialect {

	/** The one source of a position: the writer's clock. */
	private static final String SOURCE = "aurora-writer-clock";

	/** A reader whose status is older than this is taken as not replicating. */
	static final Duration STALE_AFTER = Duration.ofSeconds(30);

	private static final String OWN_STATUS = """
			SELECT SESSION_ID AS session_id, REPLICA_LAG_IN_MILLISECONDS AS lag_ms,
			  TIMESTAMPDIFF(MICROSECOND, LAST_UPDATE_TIMESTAMP, UTC_TIMESTAMP(6)) DIV 1000 AS age_ms,
			  ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS now_ms
			FROM information_schema.replica_host_status WHERE SERVER_ID = @@aurora_server_id""";

	@Override
	public ReplicaStatus replicaStatus(Sql sql) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow(OWN_STATUS);
		if (row == null || "MASTER_SESSION_ID".equals(row.get("session_id"))) {
			return ReplicaStatus.NOT_A_REPLICA;
		}
		String lag = row.get("lag_ms");
		String age = row.get("age_ms");
		if (lag == null || age == null || Long.parseLong(age) > STALE_AFTER.toMillis()) {
			return new ReplicaStatus(true, false, false, null,
					"status of " + (age != null ? age + " ms" : "unknown") + " age");
		}
		long lagMillis = Math.round(Double.parseDouble(lag));
		return new ReplicaStatus(true, true, true, Math.ceilDiv(lagMillis, 1000L), "");
	}

	@Override
	public ReplicationPosition committedPosition(Sql sql) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SELECT ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS position");
		String position = (row != null) ? row.get("position") : null;
		return (position == null) ? ReplicationPosition.NONE : parse(position);
	}

	@Override
	public boolean awaitPosition(Sql sql, ReplicationPosition position, Duration timeout) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow(OWN_STATUS);
		if (row == null || "MASTER_SESSION_ID".equals(row.get("session_id")) || row.get("lag_ms") == null
				|| row.get("age_ms") == null || row.get("now_ms") == null) {
			return false;
		}
		long appliedUpTo = Long.parseLong(row.get("now_ms")) - Long.parseLong(row.get("age_ms"))
				- Math.round(Double.parseDouble(row.get("lag_ms")));
		ReplicationPosition.Part writerClock = position.parts().get(SOURCE);
		return writerClock == null || appliedUpTo >= writerClock.highest();
	}

	@Override
	public ReplicationPosition parse(String text) {
		return new ReplicationPosition(
				Map.of(SOURCE, new ReplicationPosition.Part(Long.parseLong(text.trim()), text.trim())));
	}

	/**
	 * Whether a MySQL-compatible server is Aurora MySQL.
	 * @param connection an open connection to it
	 * @return whether it answers {@code @@aurora_version}
	 */
	static boolean runsOn(Connection connection) {
		try {
			return JdbcSql.on(connection).firstRow("SELECT @@aurora_version AS version") != null;
		}
		catch (SQLException ex) {
			return false;
		}
	}

}
