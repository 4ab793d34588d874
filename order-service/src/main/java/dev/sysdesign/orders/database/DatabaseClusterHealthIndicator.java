package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.sysdesign.support.database.FailoverDataSource;

/**
 * order-service's readiness on the database ({@code databaseCluster}): up while any node
 * can serve, the primary or a replica. Without a primary (a failover) the instance keeps
 * serving reads from the replicas and refuses writes with 503: a dead primary must never
 * take the reads down with it by taking every instance out of the gateway's rotation.
 */
class DatabaseClusterHealthIndicator extends AbstractHealthIndicator {

	private final FailoverDataSource primary;

	private final Replicas replicas;

	DatabaseClusterHealthIndicator(FailoverDataSource primary, Replicas replicas) {
		super("Database cluster health check failed");
		this.primary = primary;
		this.replicas = replicas;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean primaryAnswers = answers(this.primary);
		builder.withDetail("primary", primaryAnswers ? String.valueOf(this.primary.primaryAddress())
				: "none: writes are refused until one is found");
		long servingReplicas = this.replicas.all().stream().filter((replica) -> answers(replica.pool())).count();
		builder.withDetail("replicasAnswering", servingReplicas);
		if (primaryAnswers || servingReplicas > 0) {
			builder.up();
		}
		else {
			builder.down();
		}
	}

	private static boolean answers(javax.sql.DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return connection.isValid(1);
		}
		catch (SQLException ex) {
			return false;
		}
	}

}
