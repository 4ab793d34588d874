package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Watches the replica: every {@code check-interval} it reads the replica's replication
 * state and decides whether reads may use it. A replica that is down, not replicating, or
 * lagging beyond {@code max-lag} is skipped (logged once per change, and visible in the
 * metrics {@code orders.db.replica.usable} and {@code orders.db.replica.lag}); it is used
 * again by itself after a check finds it healthy. A failed replica connection marks it
 * unusable at once, until the next check.
 */
public class ReplicaHealth implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ReplicaHealth.class);

	private final DataSource replica;

	private final DatabaseDialect dialect;

	private final ReplicaProperties properties;

	private volatile State state = new State(false, "not checked yet", null, Instant.now());

	private @Nullable ScheduledExecutorService scheduler;

	public ReplicaHealth(DataSource replica, DatabaseDialect dialect, ReplicaProperties properties,
			MeterRegistry meters) {
		this.replica = replica;
		this.dialect = dialect;
		this.properties = properties;
		Gauge.builder("orders.db.replica.usable", this, (health) -> health.state.usable() ? 1 : 0)
			.description("Whether reads may use the replica (1) or go to the primary (0)")
			.register(meters);
		Gauge.builder("orders.db.replica.lag", this, (health) -> {
			Long lag = health.state.lagSeconds();
			return (lag != null) ? lag : Double.NaN;
		}).baseUnit("seconds").description("Replication lag of the replica; NaN while unknown").register(meters);
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
				log.info("Replica in use for reads ({})", detail);
			}
			else {
				log.warn("Replica skipped ({}): reads go to the primary", detail);
			}
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "replica-health");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.properties.checkInterval().toMillis();
		executor.scheduleWithFixedDelay(this::check, 0, interval, TimeUnit.MILLISECONDS);
		this.scheduler = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		if (executor != null) {
			executor.shutdownNow();
		}
		this.scheduler = null;
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * The replica's state as last seen.
	 *
	 * @param usable whether reads may use it
	 * @param reason why not: {@code down}, {@code not-replicating}, {@code lagging}, or
	 * empty when usable
	 * @param lagSeconds its lag, {@code null} when unknown
	 * @param since when it last changed between usable and not
	 */
	public record State(boolean usable, String reason, @Nullable Long lagSeconds, Instant since) {
	}

}
