package dev.sysdesign.orders.database;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * MySQL 8.4: {@code SHOW REPLICA STATUS}, {@code @@GLOBAL.gtid_executed} (a set such as
 * {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42}; read right after the commit it
 * contains that commit) and {@code WAIT_FOR_EXECUTED_GTID_SET} (0 when reached, 1 on
 * timeout). A position keeps, per server UUID, the intervals of the set read last; its
 * highest transaction number orders the sets of one UUID (they only grow).
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
	public ReplicationPosition committedPosition(Sql sql) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SELECT @@GLOBAL.gtid_executed AS position");
		String position = (row != null) ? row.get("position") : null;
		return (position == null || position.isBlank()) ? ReplicationPosition.NONE : parse(position);
	}

	@Override
	public boolean awaitPosition(Sql sql, ReplicationPosition position, Duration timeout) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS outcome",
				position.toString(), timeout.toMillis() / 1000.0);
		return row != null && "0".equals(row.get("outcome"));
	}

	@Override
	public ReplicationPosition parse(String text) {
		Map<String, ReplicationPosition.Part> parts = new HashMap<>();
		for (String set : text.replace("\n", "").split(",")) {
			String trimmed = set.trim();
			if (trimmed.isEmpty()) {
				continue;
			}
			String[] pieces = trimmed.split(":");
			if (pieces.length < 2) {
				throw new IllegalArgumentException("not a GTID set: " + text);
			}
			String uuid = pieces[0].toLowerCase(Locale.ROOT);
			long highest = 0;
			for (int i = 1; i < pieces.length; i++) {
				String[] bounds = pieces[i].split("-");
				highest = Math.max(highest, Long.parseLong(bounds[bounds.length - 1].trim()));
			}
			parts.merge(uuid, new ReplicationPosition.Part(highest, trimmed.toLowerCase(Locale.ROOT)),
					(a, b) -> (b.highest() > a.highest()) ? b : a);
		}
		return new ReplicationPosition(parts);
	}

}
