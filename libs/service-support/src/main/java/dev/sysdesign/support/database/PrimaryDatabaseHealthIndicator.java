package dev.sysdesign.support.database;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the primary database, the one dependency without which a data-owning service
 * cannot serve: it is the only component of such a service's readiness group. While a
 * {@link FailoverDataSource} looks for a primary that moved, it stays up for
 * {@code failoverGrace} (detail {@code failover: in progress}): a failover must not take
 * every instance of the service out of the load balancer at once.
 */
public class PrimaryDatabaseHealthIndicator extends AbstractHealthIndicator {

	private final DataSource primary;

	private final String address;

	private final Duration failoverGrace;

	/**
	 * Creates the indicator.
	 * @param primary the primary's connection pool
	 * @param address the primary's address as configured, shown in the health details
	 * @param failoverGrace how long a lost primary still counts as a failover in progress
	 */
	public PrimaryDatabaseHealthIndicator(DataSource primary, String address, Duration failoverGrace) {
		super("Primary database health check failed");
		this.primary = primary;
		this.address = address;
		this.failoverGrace = failoverGrace;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		if (this.primary instanceof FailoverDataSource failover) {
			builder.withDetail("nodes", failover.nodes().toString());
			try (Connection connection = failover.getConnection()) {
				builder.up().withDetail("address", String.valueOf(failover.primaryAddress()));
				String semiSync = failover.semiSync();
				if (semiSync != null) {
					// OFF: the primary no longer waits for a replica; a failover now
					// could lose writes
					builder.withDetail("semiSync", semiSync);
				}
			}
			catch (java.sql.SQLException ex) {
				Duration without = Duration.between(failover.lastSeen(), Instant.now());
				if (without.compareTo(this.failoverGrace) < 0) {
					builder.up().withDetail("failover", "in progress for " + without.toSeconds() + " s");
				}
				else {
					builder.down(ex).withDetail("failover", "no writable primary for " + without.toSeconds() + " s");
				}
			}
			return;
		}
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
