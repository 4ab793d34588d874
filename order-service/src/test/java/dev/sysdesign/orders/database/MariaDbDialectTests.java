package dev.sysdesign.orders.database;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MariaDB side of the dialect, against answers recorded from MariaDB 10.11 (the
 * integration tests run it against the real pair).
 */
class MariaDbDialectTests {

	private final DatabaseDialect dialect = DatabaseDialect.of("MariaDB", "10.11.19-MariaDB-0+deb12u1");

	@Test
	void readsSlaveStatus() throws SQLException {
		Map<String, @Nullable String> row = new HashMap<>();
		row.put("Slave_IO_Running", "Yes");
		row.put("Slave_SQL_Running", "Yes");
		row.put("Seconds_Behind_Master", "1");
		row.put("Last_Error", "");
		row.put("Gtid_IO_Pos", "0-1-14");
		DatabaseDialect.ReplicaStatus status = this.dialect
			.replicaStatus(new RecordedSql().answer("SHOW SLAVE STATUS", row));
		assertThat(status).isEqualTo(new DatabaseDialect.ReplicaStatus(true, true, true, 1L, ""));
	}

	@Test
	void committedPositionIsTheSessionsLastGtid() throws SQLException {
		assertThat(this.dialect
			.committedPosition(new RecordedSql().answer("SELECT @@last_gtid AS position", Map.of("position", "0-1-57")))
			.toString()).isEqualTo("0-1-57");
		assertThat(this.dialect
			.committedPosition(new RecordedSql().answer("SELECT @@last_gtid AS position", Map.of("position", ""))))
			.isEqualTo(ReplicationPosition.NONE);
	}

	@Test
	void waitsWithMasterGtidWait() throws SQLException {
		String query = "SELECT MASTER_GTID_WAIT(?, ?) AS outcome";
		assertThat(this.dialect.awaitPosition(new RecordedSql().answer(query, Map.of("outcome", "0")),
				this.dialect.parse("0-1-57"), Duration.ofMillis(200)))
			.isTrue();
		assertThat(this.dialect.awaitPosition(new RecordedSql().answer(query, Map.of("outcome", "-1")),
				this.dialect.parse("0-1-57"), Duration.ofMillis(200)))
			.isFalse();
	}

	@Test
	void positionsMergePerDomainByHighestSequenceAndNeverGoBack() {
		ReplicationPosition older = this.dialect.parse("0-1-57");
		ReplicationPosition newer = this.dialect.parse("0-1-58");
		assertThat(newer.merge(older).toString()).isEqualTo("0-1-58");
		assertThat(older.merge(newer).toString()).isEqualTo("0-1-58");
		// after a failover the new primary (server 2) continues the domain's sequence
		assertThat(this.dialect.parse("0-2-59").merge(newer).toString()).isEqualTo("0-2-59");
		assertThat(this.dialect.parse("0-1-9,1-2-120").merge(this.dialect.parse("0-1-12")).toString())
			.isEqualTo("0-1-12,1-2-120");
	}

}
