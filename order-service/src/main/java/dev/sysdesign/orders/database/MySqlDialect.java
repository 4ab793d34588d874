package dev.sysdesign.orders.database;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * MySQL 8.4: {@code SHOW REPLICA STATUS}, {@code @@GLOBAL.gtid_executed} (a set such as
 * {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42}; read right after the commit it
 * contains that commit) and {@code WAIT_FOR_EXECUTED_GTID_SET} (0 when reached, 1 on
 * timeout).
 */
final class MySqlDialect implements DatabaseDialect {

	@Override
	public ReplicaStatus replicaStatus(Sql sql) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SHOW REPLICA STATUS");
		if (row == null) {
			return ReplicaStatus.NOT_A_REPLICA;
		}
		String lag = row.get("Seconds_Behind_Source");
		String error = row.getOrDefault("Last_Error", "");
		return new ReplicaStatus(true, "Yes".equalsIgnoreCase(row.get("Replica_IO_Running")),
				"Yes".equalsIgnoreCase(row.get("Replica_SQL_Running")), (lag != null) ? Long.valueOf(lag) : null,
				(error != null) ? error : "");
	}

	@Override
	public @Nullable String committedPosition(Sql sql) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SELECT @@GLOBAL.gtid_executed AS position");
		String position = (row != null) ? row.get("position") : null;
		return (position == null || position.isBlank()) ? null : position.replace("\n", "");
	}

	@Override
	public boolean awaitPosition(Sql sql, String position, Duration timeout) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS outcome", position,
				timeout.toMillis() / 1000.0);
		return row != null && "0".equals(row.get("outcome"));
	}

	@Override
	public long ordinal(String position) {
		return Long.MAX_VALUE;
	}

}
