package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What differs between MariaDB and MySQL for replication: how a replica reports its
 * state, how a committed transaction's position is read, and how a replica waits for a
 * position. Picked from the primary's metadata by {@link #of(String, String)}.
 */
public sealed interface DatabaseDialect permits MariaDbDialect, MySqlDialect, AuroraMySqlDialect {

	/**
	 * Reads the replica's replication state.
	 * @param sql a way to run one query on the replica
	 * @return the state; {@link ReplicaStatus#NOT_A_REPLICA} when replication is not
	 * configured
	 * @throws SQLException when the replica cannot answer
	 */
	ReplicaStatus replicaStatus(Sql sql) throws SQLException;

	/**
	 * Reads, on the connection that just committed, the position the replica must reach
	 * to contain that commit.
	 * @param sql a way to run one query on that connection
	 * @return the position, {@link ReplicationPosition#NONE} if the server has none
	 * (binary log off)
	 * @throws SQLException when the query fails
	 */
	ReplicationPosition committedPosition(Sql sql) throws SQLException;

	/**
	 * Waits, on a replica connection, until the replica has applied a position.
	 * @param sql a way to run one query on the replica connection
	 * @param position a position from {@link #committedPosition(Sql)}, possibly merged
	 * @param timeout the longest wait
	 * @return whether the replica reached the position in time
	 * @throws SQLException when the query fails
	 */
	boolean awaitPosition(Sql sql, ReplicationPosition position, Duration timeout) throws SQLException;

	/**
	 * Parses a position as the server writes it.
	 * @param text a GTID set (MySQL) or GTID list (MariaDB)
	 * @return the position
	 * @throws IllegalArgumentException when the text is not a position of this server
	 */
	ReplicationPosition parse(String text);

	/**
	 * Picks the dialect of a server.
	 * @param productName {@code DatabaseMetaData.getDatabaseProductName()}
	 * @param productVersion {@code DatabaseMetaData.getDatabaseProductVersion()}
	 * @return the dialect
	 */
	static DatabaseDialect of(String productName, String productVersion) {
		boolean mariaDb = productName.toLowerCase().contains("mariadb")
				|| productVersion.toLowerCase().contains("mariadb");
		return mariaDb ? new MariaDbDialect() : new MySqlDialect();
	}

	/**
	 * Picks the dialect of the server a connection is open to.
	 * @param connection an open connection
	 * @return the dialect
	 * @throws SQLException when the metadata cannot be read
	 */
	static DatabaseDialect of(Connection connection) throws SQLException {
		DatabaseDialect dialect = of(connection.getMetaData().getDatabaseProductName(),
				connection.getMetaData().getDatabaseProductVersion());
		return (dialect instanceof MySqlDialect && AuroraMySqlDialect.runsOn(connection)) ? new AuroraMySqlDialect()
				: dialect;
	}

	/**
	 * A replica's replication state.
	 *
	 * @param configured whether the server replicates from a primary at all
	 * @param receiving whether the I/O thread (receiving from the primary) runs
	 * @param applying whether the SQL thread (applying the changes) runs
	 * @param lagSeconds how far behind the primary it is; {@code null} when unknown (for
	 * example while a thread is stopped)
	 * @param error the last replication error, empty when none
	 */
	record ReplicaStatus(boolean configured, boolean receiving, boolean applying, @Nullable Long lagSeconds,
			String error) {

		/** A server without replication configured. */
		public static final ReplicaStatus NOT_A_REPLICA = new ReplicaStatus(false, false, false, null, "");

		/**
		 * Why the replica cannot serve reads, or empty when it can.
		 * @param maxLag the largest acceptable lag
		 * @return a short reason for logs and metrics: {@code not-replicating},
		 * {@code lagging}, or empty
		 */
		public String unusableReason(Duration maxLag) {
			if (!this.configured || !this.receiving || !this.applying || this.lagSeconds == null) {
				return "not-replicating";
			}
			if (this.lagSeconds > maxLag.toSeconds()) {
				return "lagging";
			}
			return "";
		}

	}

	/**
	 * Runs one query and returns its first row by column label ({@code null} when there
	 * is no row); lets the dialects be tested against recorded server answers.
	 */
	@FunctionalInterface
	interface Sql {

		/**
		 * Runs a query.
		 * @param query the SQL, with {@code ?} parameters
		 * @param parameters the parameters
		 * @return the first row as column label → value (as string, {@code null} for SQL
		 * NULL), or {@code null} when no row
		 * @throws SQLException when the query fails
		 */
		java.util.@Nullable Map<String, @Nullable String> firstRow(String query, Object... parameters)
				throws SQLException;

	}

}
