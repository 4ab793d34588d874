package dev.sysdesign.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One database server of the pair as the tests reach it.
 *
 * @param product MariaDB (local services) or MySQL (containers)
 * @param host the host to connect to
 * @param port the port to connect to
 * @param adminUser a user with every privilege
 * @param adminPassword its password, empty for none
 */
public record Database(Product product, String host, int port, String adminUser, String adminPassword) {

	/** The database products the platform runs on. */
	public enum Product {

		/** MariaDB 10.11: local runs and CI without Docker. */
		MARIADB,
		/** MySQL 8.4: docker compose, Kubernetes and tests with Docker. */
		MYSQL

	}

	/**
	 * The JDBC URL of a schema on this server.
	 * @param schema the schema
	 * @return the URL for the product's driver
	 */
	public String jdbcUrl(String schema) {
		return switch (this.product) {
			case MARIADB -> "jdbc:mariadb://" + this.host + ":" + this.port + "/" + schema;
			case MYSQL -> "jdbc:mysql://" + this.host + ":" + this.port + "/" + schema
					+ "?allowPublicKeyRetrieval=true&useSSL=false";
		};
	}

	/**
	 * Opens an administrative connection (no schema selected).
	 * @return a new connection the caller closes
	 */
	public Connection adminConnection() {
		try {
			return DriverManager.getConnection(jdbcUrl(""), this.adminUser, this.adminPassword);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot connect to " + this.host + ":" + this.port, ex);
		}
	}

	/**
	 * Runs statements as the administrator.
	 * @param statements SQL statements, one per element
	 */
	public void execute(String... statements) {
		try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("SQL failed on " + this.host + ":" + this.port + ": " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Runs a query as the administrator and returns the first column of every row.
	 * @param sql the query
	 * @return the values, as strings ({@code null} for SQL NULL)
	 */
	public List<String> queryColumn(String sql) {
		try (Connection connection = adminConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			List<String> values = new ArrayList<>();
			while (rows.next()) {
				values.add(rows.getString(1));
			}
			return values;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Query failed on " + this.host + ":" + this.port + ": " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Runs a query as the administrator and returns the first column of its first row.
	 * @param sql the query
	 * @return the value, or {@code null}
	 */
	public String queryValue(String sql) {
		List<String> values = queryColumn(sql);
		return values.isEmpty() ? null : values.get(0);
	}

	/**
	 * The statements that stop and start replication on this server (as a replica).
	 * @return the dialect's statements
	 */
	ReplicationStatements replication() {
		return (this.product == Product.MARIADB) ? ReplicationStatements.MARIADB : ReplicationStatements.MYSQL;
	}

	record ReplicationStatements(String stop, String start, String stopSqlThread, String startSqlThread,
			String delayFormat, String status) {

		static final ReplicationStatements MARIADB = new ReplicationStatements("STOP SLAVE", "START SLAVE",
				"STOP SLAVE SQL_THREAD", "START SLAVE SQL_THREAD", "CHANGE MASTER TO MASTER_DELAY = %d",
				"SHOW SLAVE STATUS");

		static final ReplicationStatements MYSQL = new ReplicationStatements("STOP REPLICA", "START REPLICA",
				"STOP REPLICA SQL_THREAD", "START REPLICA SQL_THREAD", "CHANGE REPLICATION SOURCE TO SOURCE_DELAY = %d",
				"SHOW REPLICA STATUS");

	}

}
