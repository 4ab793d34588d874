package dev.sysdesign.orders.database;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import dev.sysdesign.support.database.FailoverDataSource;

/**
 * The replicas reads may use: one configured endpoint
 * ({@code platform.datasource.replica.url}), or every node of the cluster but the
 * primary, re-decided whenever the primary moves (the promoted node leaves the set, a
 * former primary that rejoined comes into it). Each replica has a read-only pool and a
 * {@link ReplicaHealth}; reads take the usable ones in turn.
 */
public class Replicas implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Replicas.class);

	private final FailoverDataSource primary;

	private final ReplicaProperties properties;

	private final DatabaseDialect dialect;

	private final MeterRegistry meters;

	private final String transactionIsolation;

	private final Map<String, Replica> members = new ConcurrentHashMap<>();

	private final AtomicInteger turn = new AtomicInteger();

	private volatile boolean running;

	public Replicas(FailoverDataSource primary, ReplicaProperties properties, DatabaseDialect dialect,
			String transactionIsolation, MeterRegistry meters) {
		this.primary = primary;
		this.properties = properties;
		this.dialect = dialect;
		this.transactionIsolation = transactionIsolation;
		this.meters = meters;
		if (!properties.url().isBlank()) {
			String name = dev.sysdesign.support.database.JdbcAddress.of(properties.url());
			this.members.put(name, replica(name, properties.url()));
		}
		else {
			primary.onPrimaryChange((address) -> follow());
			follow();
		}
	}

	/**
	 * The usable replicas, each time starting at the next one (so that reads spread).
	 * @return the replicas reads may use now
	 */
	public List<Replica> usableInTurn() {
		List<Replica> all = new ArrayList<>(this.members.values());
		List<Replica> usable = new ArrayList<>(all.size());
		int start = Math.floorMod(this.turn.getAndIncrement(), Math.max(1, all.size()));
		for (int i = 0; i < all.size(); i++) {
			Replica replica = all.get((start + i) % all.size());
			if (replica.health().usable()) {
				usable.add(replica);
			}
		}
		return usable;
	}

	/**
	 * Every replica, usable or not.
	 * @return the members
	 */
	public List<Replica> all() {
		return List.copyOf(this.members.values());
	}

	/** The replica set of the cluster now: every node but the primary. */
	private synchronized void follow() {
		String primaryAddress = this.primary.primaryAddress();
		for (String address : this.primary.nodes().addresses()) {
			boolean member = !address.equals(primaryAddress);
			Replica existing = this.members.get(address);
			if (member && existing == null) {
				Replica replica = replica(address, this.primary.nodes().url(address));
				this.members.put(address, replica);
				if (this.running) {
					replica.health().start();
				}
				log.info("Replica {} joins the read set", address);
			}
			else if (!member && existing != null) {
				this.members.remove(address);
				existing.close();
				log.info("Replica {} leaves the read set: it is the primary now", address);
			}
		}
	}

	private Replica replica(String name, String url) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("replica@" + name);
		config.setJdbcUrl(url);
		config.setUsername(this.properties.username());
		config.setPassword(this.properties.password());
		config.setReadOnly(true);
		config.setMaximumPoolSize(this.properties.poolSize());
		config.setConnectionTimeout(this.properties.connectionTimeout().toMillis());
		config.setValidationTimeout(this.properties.connectionTimeout().toMillis());
		config.setTransactionIsolation(this.transactionIsolation);
		// the primary's driver settings: socket and connect timeouts
		this.primary.dataSourceProperties()
			.forEach((key, value) -> config.addDataSourceProperty(key.toString(), value));
		// the service starts and serves without a replica
		config.setInitializationFailTimeout(-1);
		config.setMetricsTrackerFactory(
				new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(this.meters));
		HikariDataSource pool = new HikariDataSource(config);
		return new Replica(name, pool, new ReplicaHealth(name, pool, this.dialect, this.properties,
				() -> this.primary.primaryAddress() == null, this.meters));
	}

	@Override
	public synchronized void start() {
		this.running = true;
		this.members.values().forEach((replica) -> replica.health().start());
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		this.members.values().forEach((replica) -> replica.health().stop());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Closes every pool. */
	public void close() {
		this.members.values().forEach(Replica::close);
		this.members.clear();
	}

	/**
	 * One replica.
	 *
	 * @param name its address
	 * @param pool its read-only pool
	 * @param health its health
	 */
	public record Replica(String name, HikariDataSource pool, ReplicaHealth health) {

		void close() {
			this.health.stop();
			this.pool.close();
		}

	}

}
