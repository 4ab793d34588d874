package dev.sysdesign.orders.database;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * MariaDB 10.11: {@code SHOW SLAVE STATUS}, {@code @@last_gtid} (the session's last
 * committed GTID, {@code domain-server-sequence}) and {@code MASTER_GTID_WAIT} (0 when
 * reached, -1 on timeout). A position keeps, per replication domain, the GTID with the
 * highest sequence number (sequence numbers of a domain grow across servers in
 * {@code gtid_strict_mode}).
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
	public ReplicationPosition committedPosition(Sql sql) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SELECT @@last_gtid AS position");
		String position = (row != null) ? row.get("position") : null;
		return (position == null || position.isBlank()) ? ReplicationPosition.NONE : parse(position);
	}

	@Override
	public boolean awaitPosition(Sql sql, ReplicationPosition position, Duration timeout) throws SQLException {
		Map<String, @Nullable String> row = sql.firstRow("SELECT MASTER_GTID_WAIT(?, ?) AS outcome",
				position.toString(), timeout.toMillis() / 1000.0);
		return row != null && "0".equals(row.get("outcome"));
	}

	@Override
	public ReplicationPosition parse(String text) {
		Map<String, ReplicationPosition.Part> parts = new HashMap<>();
		for (String gtid : text.split(",")) {
			String trimmed = gtid.trim();
			if (trimmed.isEmpty()) {
				continue;
			}
			String[] pieces = trimmed.split("-");
			if (pieces.length != 3) {
				throw new IllegalArgumentException("not a MariaDB GTID: " + trimmed);
			}
			parts.merge(pieces[0], new ReplicationPosition.Part(Long.parseLong(pieces[2]), trimmed),
					(a, b) -> (b.highest() > a.highest()) ? b : a);
		}
		return new ReplicationPosition(parts);
	}

}
