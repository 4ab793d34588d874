package dev.sysdesign.support.database;

import java.sql.Connection;

import javax.sql.DataSource;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the primary database, the one dependency without which a data-owning service
 * cannot serve: it is the only component of such a service's readiness group.
 */
public class PrimaryDatabaseHealthIndicator extends AbstractHealthIndicator {

	private final DataSource primary;

	private final String address;

	/**
	 * Creates the indicator.
	 * @param primary the primary's connection pool
	 * @param address the primary's address, shown in the health details
	 */
	public PrimaryDatabaseHealthIndicator(DataSource primary, String address) {
		super("Primary database health check failed");
		this.primary = primary;
		this.address = address;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		builder.withDetail("address", this.address);
		try (Connection connection = this.primary.getConnection()) {
			if (connection.isValid(2)) {
				builder.up().withDetail("database", connection.getMetaData().getDatabaseProductName());
			}
			else {
				builder.down();
			}
		}
	}

}
