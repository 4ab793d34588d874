package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.datasource.AbstractDataSource;

import dev.sysdesign.support.database.FailoverDataSource;

/**
 * Where read-only transactions get their connection: a usable replica that has applied
 * the current user's last write, otherwise the primary. A read never fails because of a
 * replica, and not because of the primary either while a replica answers: when the
 * primary cannot give a connection (it is gone, a failover is in progress), the read is
 * served by any replica that answers.
 * <p>
 * Metrics: {@code orders.db.reads} by {@code pool} (replica or primary) and
 * {@code reason} (why the primary served it, or why a replica served it anyway),
 * {@code orders.db.gtid.waits} by {@code outcome} (hit or timeout).
 */
class ReplicaRoutingDataSource extends AbstractDataSource {

	private final FailoverDataSource primary;

	private final Replicas replicas;

	private final ReadYourWrites readYourWrites;

	private final DatabaseDialect dialect;

	private final MeterRegistry meters;

	private final Counter servedByReplica;

	private final Counter gtidHits;

	private final Counter gtidTimeouts;

	private final Map<String, Counter> reads = new ConcurrentHashMap<>();

	ReplicaRoutingDataSource(FailoverDataSource primary, Replicas replicas, ReadYourWrites readYourWrites,
			DatabaseDialect dialect, MeterRegistry meters) {
		this.primary = primary;
		this.replicas = replicas;
		this.readYourWrites = readYourWrites;
		this.dialect = dialect;
		this.meters = meters;
		this.servedByReplica = reads("replica", "healthy");
		this.gtidHits = gtidWaits("hit");
		this.gtidTimeouts = gtidWaits("timeout");
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (ReadRouting.primaryRequired()) {
			return primary("fresh-read");
		}
		Long user = ReadRouting.user();
		ReplicationPosition position = null;
		if (user != null) {
			ReadYourWrites.Requirement requirement = this.readYourWrites.requirementFor(user);
			if (requirement.kind() == ReadYourWrites.Requirement.Kind.UNKNOWN) {
				return primary("read-your-writes-unknown");
			}
			position = requirement.position();
		}
		String reason = "unusable";
		for (Replicas.Replica replica : this.replicas.usableInTurn()) {
			Connection connection;
			try {
				connection = replica.pool().getConnection();
			}
			catch (SQLException ex) {
				replica.health().reportFailure(ex);
				reason = "down";
				continue;
			}
			if (position != null) {
				boolean reached;
				try {
					reached = this.dialect.awaitPosition(JdbcSql.on(connection), position,
							this.readYourWrites.maxWait());
				}
				catch (SQLException ex) {
					connection.close();
					replica.health().reportFailure(ex);
					reason = "down";
					continue;
				}
				if (!reached) {
					connection.close();
					this.gtidTimeouts.increment();
					reason = "read-your-writes";
					// the wait is bounded once: the next replica is not likely to be
					// ahead
					break;
				}
				this.gtidHits.increment();
			}
			this.servedByReplica.increment();
			ReadRouting.servedBy(replica);
			return connection;
		}
		if (reason.equals("unusable") && !this.replicas.all().isEmpty()) {
			reason = firstReason();
		}
		return primary(reason);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLException("the replica router uses the pools' own credentials");
	}

	private String firstReason() {
		for (Replicas.Replica replica : this.replicas.all()) {
			String reason = replica.health().state().reason();
			if (!reason.isEmpty()) {
				return reason;
			}
		}
		return "unusable";
	}

	/**
	 * The primary serves the read; when it cannot (a failover), any replica that answers
	 * does.
	 */
	private Connection primary(String reason) throws SQLException {
		try {
			Connection connection = this.primary.getConnection();
			this.reads.computeIfAbsent("primary:" + reason, (key) -> reads("primary", reason)).increment();
			return connection;
		}
		catch (SQLException primaryFailure) {
			for (Replicas.Replica replica : this.replicas.all()) {
				try {
					Connection connection = replica.pool().getConnection();
					this.reads.computeIfAbsent("replica:primary-down", (key) -> reads("replica", "primary-down"))
						.increment();
					ReadRouting.servedBy(replica);
					return connection;
				}
				catch (SQLException ex) {
					primaryFailure.addSuppressed(ex);
				}
			}
			throw primaryFailure;
		}
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
