package dev.sysdesign.support.database;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.AbstractDataSource;

import dev.sysdesign.support.scheduling.BackgroundRefresh;

/**
 * The primary's connection pool, wherever the primary is: it connects only to the node of
 * the cluster that is writable ({@code @@read_only = 0}), and follows the primary when it
 * moves (a failover, a switchover) without a restart.
 * <ul>
 * <li>Every {@code probeInterval} it asks the current primary whether it is still
 * writable. A failed probe, a node that turned read-only, or a failure reported by the
 * service ({@link #suspect()}: a read-only error 1290, a lost connection) makes it look
 * for the writable node again, asking every node.</li>
 * <li>When it finds another node, it opens a pool there and retires the old one; when it
 * finds none (during a failover), {@link #getConnection()} fails at once with a
 * {@link SQLTransientConnectionException}, which services answer with 503 and
 * {@code Retry-After}. Two writable nodes at once (a split brain) are refused as
 * none.</li>
 * </ul>
 * Metrics: {@code db.primary.available} (1 or 0), {@code db.primary.switches},
 * {@code db.primary.semisync} (1 on, 0 fell back to asynchronous, -1 none).
 */
public class FailoverDataSource extends AbstractDataSource implements SmartLifecycle, Closeable {

	private static final Logger log = LoggerFactory.getLogger(FailoverDataSource.class);

	/**
	 * Whether the node refuses writes: {@code read_only} (a replica, a demoted primary)
	 * or {@code innodb_read_only} (an Aurora reader), on MariaDB and MySQL alike.
	 */
	private static final String READ_ONLY = "SELECT @@read_only OR @@innodb_read_only";

	/**
	 * Whether the primary's commits wait for a replica's acknowledgement:
	 * {@code Rpl_semi_sync_master_status} (MariaDB) or
	 * {@code Rpl_semi_sync_source_status} (MySQL with the plugin); no row where there is
	 * no semi-synchronous replication.
	 */
	private static final String SEMI_SYNC = "SHOW GLOBAL STATUS WHERE Variable_name IN"
			+ " ('Rpl_semi_sync_master_status', 'Rpl_semi_sync_source_status')";

	private final DatabaseNodes nodes;

	private final HikariConfig template;

	private final Duration probeInterval;

	private final @Nullable MeterRegistry meters;

	private final Clock clock;

	private final Counter switches;

	private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * One search for the primary at a time; a caller that arrives meanwhile waits for it.
	 */
	private final ReentrantLock locating = new ReentrantLock();

	/** Searches completed: a caller that waited for one takes its answer. */
	private volatile long searches;

	private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();

	private volatile @Nullable Pool current;

	private volatile @Nullable String semiSync;

	/** The address of the last primary found, kept while there is none. */
	private volatile @Nullable String lastAddress;

	private volatile Instant lastSeen;

	private volatile Instant lastLocated = Instant.EPOCH;

	private final BackgroundRefresh probe;

	/**
	 * Creates the pool switcher. No connection is opened until the first use.
	 * @param nodes the cluster's nodes
	 * @param template the pool settings ({@code spring.datasource.hikari.*}, user,
	 * password); its URL is replaced by each node's
	 * @param probeInterval how often the primary is checked
	 * @param meters where the pools and the switcher report, or {@code null}
	 * @param clock the clock
	 */
	public FailoverDataSource(DatabaseNodes nodes, HikariConfig template, Duration probeInterval,
			@Nullable MeterRegistry meters, Clock clock) {
		this.nodes = nodes;
		this.template = template;
		this.probeInterval = probeInterval;
		this.meters = meters;
		this.clock = clock;
		this.lastSeen = clock.instant();
		this.probe = new BackgroundRefresh("primary-probe", probeInterval, this::checkPrimary);
		if (meters != null) {
			Gauge.builder("db.primary.available", this, (source) -> (source.current != null) ? 1 : 0)
				.description("Whether the service knows a writable primary (1) or refuses writes (0)")
				.register(meters);
			Gauge.builder("db.primary.semisync", this, FailoverDataSource::semiSyncGauge)
				.description("Whether the primary's commits wait for a replica's acknowledgement (1), fell back to"
						+ " asynchronous replication (0), or the database has no semi-synchronous replication (-1)")
				.register(meters);
			this.switches = Counter.builder("db.primary.switches")
				.description("Times the service moved its writes to another node")
				.register(meters);
		}
		else {
			this.switches = null;
		}
	}

	@Override
	public Connection getConnection() throws SQLException {
		Pool pool = this.current;
		if (pool == null) {
			pool = locateNow();
		}
		if (pool == null) {
			throw new SQLTransientConnectionException("No writable primary among " + this.nodes
					+ " right now (a failover may be in progress); retry shortly");
		}
		try {
			return pool.dataSource().getConnection();
		}
		catch (SQLException ex) {
			suspect();
			throw ex;
		}
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLException("the primary's pool uses its configured credentials");
	}

	/**
	 * The primary's address as last found.
	 * @return {@code host:port}, or {@code null} while no node is writable
	 */
	public @Nullable String primaryAddress() {
		Pool pool = this.current;
		return (pool != null) ? pool.address() : null;
	}

	/**
	 * The primary's semi-synchronous replication status at the last probe.
	 * @return {@code ON}, {@code OFF}, or {@code null} when the database has none or no
	 * primary was probed yet
	 */
	public @Nullable String semiSync() {
		return this.semiSync;
	}

	private double semiSyncGauge() {
		String status = this.semiSync;
		return (status == null) ? -1 : "ON".equalsIgnoreCase(status) ? 1 : 0;
	}

	/**
	 * When the primary was last known to be there.
	 * @return now while it is, otherwise when it was last found
	 */
	public Instant lastSeen() {
		return (this.current != null) ? this.clock.instant() : this.lastSeen;
	}

	/**
	 * The cluster's nodes.
	 * @return the nodes
	 */
	public DatabaseNodes nodes() {
		return this.nodes;
	}

	/**
	 * The driver settings of the pools
	 * ({@code spring.datasource.hikari.data-source-properties}).
	 * @return a copy
	 */
	public Properties dataSourceProperties() {
		Properties copy = new Properties();
		copy.putAll(this.template.getDataSourceProperties());
		return copy;
	}

	/**
	 * Registers a callback run after every change of primary.
	 * @param listener receives the new primary's address
	 */
	public void onPrimaryChange(Consumer<String> listener) {
		this.listeners.add(listener);
	}

	/**
	 * Reports that the primary may have moved (a read-only error, a lost connection): it
	 * is looked for again at once, in the background.
	 */
	public void suspect() {
		this.probes.execute(this::checkPrimary);
	}

	/**
	 * Reports a write refused because the node is read-only: the pool's connections are
	 * replaced (as they are returned) and the primary looked for again. With one address
	 * (an endpoint that an operator repoints at the new primary) the pool's connections
	 * may be open to the demoted node while new ones reach the promoted one.
	 */
	public void readOnlyRefusal() {
		Pool pool = this.current;
		if (pool != null) {
			com.zaxxer.hikari.HikariPoolMXBean bean = pool.dataSource().getHikariPoolMXBean();
			if (bean != null) {
				bean.softEvictConnections();
			}
		}
		suspect();
	}

	/**
	 * Looks for the writable node now, at most once per probe interval, or waits for the
	 * search in progress.
	 */
	private @Nullable Pool locateNow() {
		Instant now = this.clock.instant();
		if (this.locating.isLocked() || Duration.between(this.lastLocated, now).compareTo(this.probeInterval) >= 0) {
			locate();
		}
		return this.current;
	}

	private void checkPrimary() {
		Pool pool = this.current;
		if (pool == null) {
			locate();
			return;
		}
		Boolean writable = writable(pool.address());
		if (writable == null || !writable) {
			log.warn("The primary at {} {}: looking for the writable node among {}", pool.address(),
					(writable == null) ? "does not answer" : "is read-only now", this.nodes);
			locate();
		}
		else {
			this.lastSeen = this.clock.instant();
		}
	}

	/** Asks every node whether it is writable and moves to the one that is. */
	private void locate() {
		long seen = this.searches;
		// bounded: a search asks every node for at most 5 s
		this.locating.lock();
		try {
			if (this.searches != seen) {
				// a search ran while this caller waited: its answer is fresh
				return;
			}
			this.lastLocated = this.clock.instant();
			List<Future<Boolean>> answers = new ArrayList<>();
			for (String address : this.nodes.addresses()) {
				answers.add(this.probes.submit(() -> writable(address)));
			}
			List<String> writable = new ArrayList<>();
			for (int i = 0; i < answers.size(); i++) {
				try {
					if (Boolean.TRUE.equals(answers.get(i).get(5, TimeUnit.SECONDS))) {
						writable.add(this.nodes.addresses().get(i));
					}
				}
				catch (Exception ex) {
					// a node that does not answer in time is not the primary
				}
			}
			if (writable.size() == 1) {
				moveTo(writable.get(0));
			}
			else {
				if (writable.size() > 1) {
					log.error("Several nodes are writable ({}): refusing writes until one is", writable);
				}
				retire("no writable node among " + this.nodes);
			}
		}
		finally {
			this.searches++;
			this.locating.unlock();
		}
	}

	private synchronized void moveTo(String address) {
		Pool previous = this.current;
		if (previous != null && previous.address().equals(address)) {
			this.lastSeen = this.clock.instant();
			return;
		}
		HikariConfig config = new HikariConfig();
		this.template.copyStateTo(config);
		config.setJdbcUrl(this.nodes.url(address));
		config.setPoolName("primary@" + address);
		// a pool on a node that just became primary must not fail the first request
		config.setInitializationFailTimeout(-1);
		if (this.meters != null) {
			config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(this.meters));
		}
		this.current = new Pool(address, new HikariDataSource(config));
		this.lastSeen = this.clock.instant();
		// the primary before this one: the pool replaced, or the one retired when it was
		// lost
		String before = (previous != null) ? previous.address() : this.lastAddress;
		this.lastAddress = address;
		if (previous != null) {
			closeLater(previous);
		}
		if (before != null && !before.equals(address)) {
			log.warn("The primary moved from {} to {}: writes go there now", before, address);
			if (this.switches != null) {
				this.switches.increment();
			}
		}
		else {
			log.info("Primary found at {}", address);
		}
		this.listeners.forEach((listener) -> listener.accept(address));
	}

	private synchronized void retire(String reason) {
		Pool previous = this.current;
		if (previous == null) {
			return;
		}
		this.current = null;
		this.lastSeen = this.clock.instant();
		log.warn("Writes refused: {} (the primary was {})", reason, previous.address());
		closeLater(previous);
	}

	/** Closes a retired pool after its in-flight work had a moment to end. */
	private void closeLater(Pool pool) {
		java.util.concurrent.CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS, this.probes)
			.execute(() -> pool.dataSource().close());
	}

	/**
	 * Whether a node is writable.
	 * @return {@code true} or {@code false}, or {@code null} when it does not answer
	 */
	private @Nullable Boolean writable(String address) {
		Properties properties = new Properties();
		properties.putAll(this.template.getDataSourceProperties());
		if (this.template.getUsername() != null) {
			properties.setProperty("user", this.template.getUsername());
		}
		if (this.template.getPassword() != null) {
			properties.setProperty("password", this.template.getPassword());
		}
		properties.setProperty("connectTimeout", "1000");
		properties.setProperty("socketTimeout", "2000");
		try (Connection connection = DriverManager.getConnection(this.nodes.url(address), properties);
				Statement statement = connection.createStatement()) {
			boolean writable;
			try (ResultSet result = statement.executeQuery(READ_ONLY)) {
				writable = result.next() && result.getInt(1) == 0;
			}
			if (writable) {
				this.semiSync = semiSync(statement);
			}
			return writable;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	private static @Nullable String semiSync(Statement statement) {
		try (ResultSet result = statement.executeQuery(SEMI_SYNC)) {
			return result.next() ? result.getString(2) : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	@Override
	public void start() {
		this.probe.start();
	}

	@Override
	public void stop() {
		this.probe.stop();
	}

	@Override
	public boolean isRunning() {
		return this.probe.isRunning();
	}

	@Override
	public int getPhase() {
		// runs while everything that uses the database runs
		return SmartLifecycle.DEFAULT_PHASE - 200;
	}

	@Override
	public void close() {
		stop();
		Pool pool = this.current;
		this.current = null;
		if (pool != null) {
			pool.dataSource().close();
		}
		this.probes.shutdownNow();
	}

	private record Pool(String address, HikariDataSource dataSource) {
	}

}
