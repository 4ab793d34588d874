package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * Where read-only transactions get their connection: the replica when it is healthy and
 * has applied the current user's last write, otherwise the primary. A read never fails
 * because of the replica.
 * <p>
 * Metrics: {@code orders.db.reads} by {@code pool} (replica or primary) and
 * {@code reason} (why the primary served it), {@code orders.db.gtid.waits} by
 * {@code outcome} (hit or timeout).
 */
class ReplicaRoutingDataSource extends AbstractDataSource {

	private final DataSource primary;

	private final DataSource replica;

	private final ReplicaHealth health;

	private final ReadYourWrites readYourWrites;

	private final DatabaseDialect dialect;

	private final MeterRegistry meters;

	private final Counter servedByReplica;

	private final Counter gtidHits;

	private final Counter gtidTimeouts;

	private final Map<String, Counter> primaryReads = new ConcurrentHashMap<>();

	ReplicaRoutingDataSource(DataSource primary, DataSource replica, ReplicaHealth health,
			ReadYourWrites readYourWrites, DatabaseDialect dialect, MeterRegistry meters) {
		this.primary = primary;
		this.replica = replica;
		this.health = health;
		this.readYourWrites = readYourWrites;
		this.dialect = dialect;
		this.meters = meters;
		this.servedByReplica = reads("replica", "healthy");
		this.gtidHits = gtidWaits("hit");
		this.gtidTimeouts = gtidWaits("timeout");
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (FreshReads.required()) {
			return primary("fresh-read");
		}
		Long user = CurrentUser.id();
		ReplicationPosition position = null;
		if (user != null) {
			ReadYourWrites.Requirement requirement = this.readYourWrites.requirementFor(user);
			if (requirement.kind() == ReadYourWrites.Requirement.Kind.UNKNOWN) {
				return primary("read-your-writes-unknown");
			}
			position = requirement.position();
		}
		if (!this.health.usable()) {
			return primary(this.health.state().reason().isEmpty() ? "unusable" : this.health.state().reason());
		}
		Connection connection;
		try {
			connection = this.replica.getConnection();
		}
		catch (SQLException ex) {
			this.health.reportFailure(ex);
			return primary("down");
		}
		if (position != null) {
			boolean reached;
			try {
				reached = this.dialect.awaitPosition(JdbcSql.on(connection), position, this.readYourWrites.maxWait());
			}
			catch (SQLException ex) {
				connection.close();
				this.health.reportFailure(ex);
				return primary("down");
			}
			if (!reached) {
				connection.close();
				this.gtidTimeouts.increment();
				return primary("read-your-writes");
			}
			this.gtidHits.increment();
		}
		this.servedByReplica.increment();
		ReplicaFailover.markServedByReplica();
		return connection;
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLException("the replica router uses the pools' own credentials");
	}

	private Connection primary(String reason) throws SQLException {
		this.primaryReads.computeIfAbsent(reason, (key) -> reads("primary", key)).increment();
		return this.primary.getConnection();
	}

	private Counter reads(String pool, String reason) {
		return Counter.builder("orders.db.reads")
			.description("Read-only transactions by the pool that served them")
			.tag("pool", pool)
			.tag("reason", reason)
			.register(this.meters);
	}

	private Counter gtidWaits(String outcome) {
		return Counter.builder("orders.db.gtid.waits")
			.description("Waits on the replica for a user's last write")
			.tag("outcome", outcome)
			.register(this.meters);
	}

}
