package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import dev.sysdesign.support.scheduling.BackgroundRefresh;

/**
 * Watches one replica: every {@code check-interval} it reads the replica's replication
 * state and decides whether reads may use it. A replica that is down, not replicating, or
 * lagging beyond {@code max-lag} is skipped (logged once per change, and visible in the
 * metrics {@code orders.db.replica.usable} and {@code orders.db.replica.lag}, tagged
 * {@code replica}); it is used again by itself after a check finds it healthy. A failed
 * replica connection marks it unusable at once, until the next check.
 * <p>
 * While the primary is gone (a failover), a replica that no longer receives but still
 * applies, or has applied all it received, stays usable ({@code reason}
 * {@code primary-down}): nothing newer can be committed anywhere then, and reads must not
 * fail with the primary.
 */
public class ReplicaHealth implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ReplicaHealth.class);

	private final String name;

	private final DataSource replica;

	private final DatabaseDialect dialect;

	private final ReplicaProperties properties;

	private final java.util.function.BooleanSupplier primaryGone;

	private volatile State state = new State(false, "not checked yet", null, Instant.now());

	private final BackgroundRefresh checks;

	/**
	 * Creates the watcher of one replica.
	 * @param name the replica's address, for logs and metrics
	 * @param replica its pool
	 * @param dialect the database's dialect
	 * @param properties when to skip it
	 * @param primaryGone whether the service has no primary right now
	 * @param meters the metrics registry
	 */
	public ReplicaHealth(String name, DataSource replica, DatabaseDialect dialect, ReplicaProperties properties,
			java.util.function.BooleanSupplier primaryGone, MeterRegistry meters) {
		this.name = name;
		this.checks = new BackgroundRefresh("replica-health-" + name, properties.checkInterval(), this::check);
		this.replica = replica;
		this.dialect = dialect;
		this.properties = properties;
		this.primaryGone = primaryGone;
		Gauge.builder("orders.db.replica.usable", this, (health) -> health.state.usable() ? 1 : 0)
			.description("Whether reads may use the replica (1) or not (0)")
			.tag("replica", name)
			.register(meters);
		Gauge.builder("orders.db.replica.lag", this, (health) -> {
			Long lag = health.state.lagSeconds();
			return (lag != null) ? lag : Double.NaN;
		})
			.baseUnit("seconds")
			.description("Replication lag of the replica; NaN while unknown")
			.tag("replica", name)
			.register(meters);
	}

	/**
	 * The replica's address.
	 * @return {@code host:port} or the configured URL's address
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Whether reads may use the replica now.
	 * @return whether it is usable
	 */
	public boolean usable() {
		return this.state.usable();
	}

	/**
	 * The current state.
	 * @return the state
	 */
	public State state() {
		return this.state;
	}

	/**
	 * Reads the replica's state once, now.
	 */
	public void check() {
		try (Connection connection = this.replica.getConnection()) {
			DatabaseDialect.ReplicaStatus status = this.dialect.replicaStatus(JdbcSql.on(connection));
			String reason = status.unusableReason(this.properties.maxLag());
			if (reason.equals("not-replicating") && status.configured() && !status.receiving()
					&& this.primaryGone.getAsBoolean()) {
				// the primary is gone: what this replica applied is the newest data there
				// is
				update(true, "primary-down", status.lagSeconds(), "the primary is gone: serving what it applied");
				return;
			}
			String detail = switch (reason) {
				case "" -> "lag " + status.lagSeconds() + " s";
				case "lagging" ->
					"lagging: " + status.lagSeconds() + " s behind, max " + this.properties.maxLag().toSeconds() + " s";
				default -> "not replicating" + (status.error().isBlank() ? "" : ": " + status.error());
			};
			update(reason.isEmpty(), reason.isEmpty() ? "" : reason, status.lagSeconds(), detail);
		}
		catch (SQLException ex) {
			update(false, "down", null, "down: " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			update(false, "down", null, "down: " + ex);
		}
	}

	/**
	 * Marks the replica unusable until the next check, after a read failed to get a
	 * connection to it.
	 * @param failure what went wrong
	 */
	public void reportFailure(Exception failure) {
		update(false, "down", null, "down: " + failure.getMessage());
	}

	private synchronized void update(boolean usable, String reason, @Nullable Long lag, String detail) {
		State previous = this.state;
		boolean changed = previous.usable() != usable || !previous.reason().equals(reason);
		this.state = new State(usable, reason, lag, changed ? Instant.now() : previous.since());
		if (changed) {
			if (usable) {
				log.info("Replica {} in use for reads ({})", this.name, detail);
			}
			else {
				log.warn("Replica {} skipped ({})", this.name, detail);
			}
		}
	}

	@Override
	public void start() {
		this.checks.start();
	}

	@Override
	public void stop() {
		this.checks.stop();
	}

	@Override
	public boolean isRunning() {
		return this.checks.isRunning();
	}

	/**
	 * The replica's state as last seen.
	 *
	 * @param usable whether reads may use it
	 * @param reason why not: {@code down}, {@code not-replicating}, {@code lagging};
	 * empty when usable, or {@code primary-down} when usable because the primary is gone
	 * @param lagSeconds its lag, {@code null} when unknown
	 * @param since when it last changed between usable and not
	 */
	public record State(boolean usable, String reason, @Nullable Long lagSeconds, Instant since) {
	}

}
