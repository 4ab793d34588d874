package dev.sysdesign.orders.database;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * MariaDB 10.11: {@code SHOW SLAVE STATUS}, {@code @@last_gtid} (the session's last
 * committed GTID, {@code domain-server-sequence}) and {@code MASTER_GTID_WAIT} (0 when
 * reached, -1 on timeout).
 */
final class MariaDbDialect implements DatabaseDialect {

	@Override
	public ReplicaStatus replicaStatus(Sql sql) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SHOW SLAVE STATUS");
		if (row == null) {
			return ReplicaStatus.NOT_A_REPLICA;
		}
		String lag = row.get("Seconds_Behind_Master");
		String error = row.getOrDefault("Last_Error", "");
		return new ReplicaStatus(true, "Yes".equalsIgnoreCase(row.get("Slave_IO_Running")),
				"Yes".equalsIgnoreCase(row.get("Slave_SQL_Running")), (lag != null) ? Long.valueOf(lag) : null,
				(error != null) ? error : "");
	}

	@Override
	public @Nullable String committedPosition(Sql sql) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SELECT @@last_gtid AS position");
		String position = (row != null) ? row.get("position") : null;
		return (position == null || position.isBlank()) ? null : position;
	}

	@Override
	public boolean awaitPosition(Sql sql, String position, Duration timeout) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SELECT MASTER_GTID_WAIT(?, ?) AS outcome", position,
				timeout.toMillis() / 1000.0);
		return row != null && "0".equals(row.get("outcome"));
	}

	@Override
	public long ordinal(String position) {
		long highest = 0;
		for (String gtid : position.split(",")) {
			String[] parts = gtid.trim().split("-");
			highest = Math.max(highest, Long.parseLong(parts[parts.length - 1]));
		}
		return highest;
	}

}
