package dev.sysdesign.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

import dev.sysdesign.testing.Database;
import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database cluster of {@code scripts/infra.sh} as the failover tests drive and check
 * it: which node is the primary, bringing every node back, and comparing the nodes' data.
 */
final class DatabaseCluster {

	static final PlatformInfrastructure infrastructure = PlatformInfrastructure.get();

	private DatabaseCluster() {
	}

	/**
	 * Waits until a node other than {@code old} is writable.
	 * @param old the primary that was killed
	 * @param atMost how long the failover may take
	 * @return the new primary
	 */
	static Database awaitNewPrimary(Database old, Duration atMost) {
		Awaitility.await("a node other than " + old.port() + " is the primary")
			.atMost(atMost)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> infrastructure.primary().port() != old.port());
		return infrastructure.primary();
	}

	/**
	 * {@code scripts/infra.sh up}: every node running, one primary, the others
	 * replicating from it and caught up.
	 */
	static void restoreAllNodes() {
		infrastructure.script("up");
		awaitAllCaughtUp();
	}

	/**
	 * Puts the primary back on the first node (the cluster the other tests expect), after
	 * {@link #restoreAllNodes()}.
	 */
	static void restoreFirstNodeAsPrimary() {
		restoreAllNodes();
		infrastructure.script("switchover", "db1");
		Awaitility.await("db1 is the primary")
			.atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> infrastructure.primary().port() == infrastructure.nodes().get(0).port());
		awaitAllCaughtUp();
	}

	/**
	 * Waits until every replica runs both threads and applied the primary's last write.
	 */
	static void awaitAllCaughtUp() {
		Database primary = infrastructure.primary();
		String position = primary.queryValue("SELECT @@gtid_binlog_pos");
		for (Database node : infrastructure.nodes()) {
			if (node.port() == primary.port()) {
				continue;
			}
			Awaitility.await("node " + node.port() + " replicates and applied " + position)
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptions()
				.until(() -> "0".equals(node.queryValue("SELECT MASTER_GTID_WAIT('" + position + "', 1)"))
						&& slaveStatus(node, "Slave_IO_Running").equals("Yes")
						&& slaveStatus(node, "Slave_SQL_Running").equals("Yes"));
		}
	}

	/**
	 * {@code CHECKSUM TABLE} of every table on one node (every schema but MariaDB's own).
	 * @param node the node
	 * @return checksum per {@code schema.table}
	 */
	static Map<String, String> checksums(Database node) {
		Map<String, String> checksums = new TreeMap<>();
		List<String> tables = node.queryColumn("SELECT CONCAT(table_schema, '.', table_name) FROM"
				+ " information_schema.tables WHERE table_schema NOT IN ('mysql', 'information_schema',"
				+ " 'performance_schema', 'sys')" + " AND table_type = 'BASE TABLE'");
		try (Connection connection = node.adminConnection(); Statement statement = connection.createStatement()) {
			for (String table : tables) {
				try (ResultSet result = statement.executeQuery("CHECKSUM TABLE " + table)) {
					result.next();
					checksums.put(table, result.getString(2));
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("CHECKSUM TABLE on " + node.port() + " failed", ex);
		}
		return checksums;
	}

	/** Asserts that every node holds the same data as the primary. */
	static void assertIdenticalOnEveryNode() {
		Map<String, String> expected = checksums(infrastructure.primary());
		assertThat(expected).isNotEmpty();
		for (Database node : infrastructure.nodes()) {
			assertThat(checksums(node)).as("the tables' checksums on node " + node.port()).isEqualTo(expected);
		}
	}

	static String slaveStatus(Database node, String column) {
		try (Connection connection = node.adminConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW SLAVE STATUS")) {
			return result.next() ? String.valueOf(result.getString(column)) : "";
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The cluster's failover log ({@code scripts/infra.sh events}): every event since the
	 * cluster's data directory was created, across test runs.
	 */
	static String failoverLog() {
		return infrastructure.script("events");
	}

	/**
	 * The number of events in the failover log now: a test that waits for an event reads
	 * only the ones after this mark ({@link #failoverLogSince(long)}), never an older
	 * event with the same text.
	 * @return the mark
	 */
	static long failoverLogMark() {
		return failoverLog().lines().count();
	}

	/**
	 * The failover log's events after a mark.
	 * @param mark a {@link #failoverLogMark()}
	 * @return the newer events, one per line
	 */
	static String failoverLogSince(long mark) {
		return failoverLog().lines().skip(mark).collect(Collectors.joining("\n"));
	}

}
