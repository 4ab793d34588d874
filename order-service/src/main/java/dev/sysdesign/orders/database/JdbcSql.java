package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * {@link DatabaseDialect.Sql} on a JDBC connection.
 */
final class JdbcSql implements DatabaseDialect.Sql {

	private final Connection connection;

	private JdbcSql(Connection connection) {
		this.connection = connection;
	}

	static JdbcSql on(Connection connection) {
		return new JdbcSql(connection);
	}

	@Override
	public @Nullable Map<String, @Nullable String> firstRow(String query, Object... parameters) throws SQLException {
		try (PreparedStatement statement = this.connection.prepareStatement(query)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet rows = statement.executeQuery()) {
				if (!rows.next()) {
					return null;
				}
				ResultSetMetaData metadata = rows.getMetaData();
				Map<String, @Nullable String> row = new HashMap<>();
				for (int column = 1; column <= metadata.getColumnCount(); column++) {
					row.put(metadata.getColumnLabel(column), rows.getString(column));
				}
				return row;
			}
		}
	}

}
