package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Read-your-writes across the primary/replica pair. Every write made on behalf of a user
 * records, right after its commit, the replication position that contains it — in this
 * instance's memory at once, and in Redis (shared by every instance, {@code ttl}) a few
 * milliseconds later, batched with other writes. Positions are merged, never replaced:
 * per source of transactions (a MySQL server UUID, a MariaDB domain) the newer part wins,
 * so a late or out-of-order record can never make a user's reads forget a write. That
 * user's reads then use the replica only once it has applied that position (a bounded
 * wait on the replica), and otherwise the primary.
 * <p>
 * When neither Redis nor this instance knows whether the user wrote recently (Redis
 * unreachable), the user's reads go to the primary: correctness over load.
 */
public class ReadYourWrites {

	private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);

	private static final Duration PUBLISH_DELAY = Duration.ofMillis(2);

	/**
	 * Merges a batch of positions into the stored ones, never going back: each user's key
	 * is a hash of source → {@code highest|text}, and a part replaces the stored part of
	 * its source only when its highest transaction number is higher. ARGV: the TTL in ms,
	 * then per key the number of parts and, per part, source, highest and text. One
	 * script for the whole batch (a standalone Redis; on Redis Cluster the keys would
	 * need one hash slot).
	 */
	private static final RedisScript<Long> MERGE = RedisScript.of("""
			local a = 2
			for _, key in ipairs(KEYS) do
			  local n = tonumber(ARGV[a])
			  a = a + 1
			  for _ = 1, n do
			    local source, highest, text = ARGV[a], ARGV[a + 1], ARGV[a + 2]
			    a = a + 3
			    local current = redis.call('HGET', key, source)
			    local stored = current and tonumber(string.match(current, '^(%d+)|'))
			    if not stored or stored < tonumber(highest) then
			      redis.call('HSET', key, source, highest .. '|' .. text)
			    end
			  end
			  redis.call('PEXPIRE', key, ARGV[1])
			end
			return #KEYS
			""", Long.class);

	private final StringRedisTemplate redis;

	private final ObjectProvider<DataSource> dataSource;

	private final DatabaseDialect dialect;

	private final ReadYourWritesProperties properties;

	private final Cache<Long, ReplicationPosition> local;

	private final Counter redisFailures;

	private final Map<Long, ReplicationPosition> unpublished = new ConcurrentHashMap<>();

	private final AtomicBoolean publishScheduled = new AtomicBoolean();

	private final ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "read-your-writes-publisher");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Creates the mechanism.
	 * @param redis where positions are shared between instances
	 * @param dataSource the transactional data source (the one writes commit on)
	 * @param dialect the database's dialect
	 * @param properties wait and retention
	 * @param meters the metrics registry
	 */
	public ReadYourWrites(StringRedisTemplate redis, ObjectProvider<DataSource> dataSource, DatabaseDialect dialect,
			ReadYourWritesProperties properties, MeterRegistry meters) {
		this.redis = redis;
		this.dataSource = dataSource;
		this.dialect = dialect;
		this.properties = properties;
		this.local = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(properties.ttl()).build();
		this.redisFailures = Counter.builder("orders.db.read-your-writes.redis.failures")
			.description("Positions that could not be stored or read in Redis")
			.register(meters);
	}

	/**
	 * Records, after the current transaction commits, its position for a user.
	 * @param userId the user on whose behalf the transaction writes
	 * @throws IllegalStateException when no transaction is active
	 */
	public void recordAfterCommit(long userId) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("read-your-writes needs a transaction to attach to");
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				record(userId);
			}
		});
	}

	private void record(long userId) {
		ReplicationPosition position;
		DataSource transactional = this.dataSource.getObject();
		Connection connection = DataSourceUtils.getConnection(transactional);
		try {
			position = this.dialect.committedPosition(JdbcSql.on(connection));
		}
		catch (SQLException ex) {
			log.warn("Cannot read the commit position for user {}: {}", userId, ex.getMessage());
			return;
		}
		finally {
			DataSourceUtils.releaseConnection(connection, transactional);
		}
		if (position.isEmpty()) {
			return;
		}
		this.local.asMap().merge(userId, position, ReplicationPosition::merge);
		this.unpublished.merge(userId, position, ReplicationPosition::merge);
		if (this.publishScheduled.compareAndSet(false, true)) {
			this.publisher.schedule(this::publish, PUBLISH_DELAY.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Shares the positions recorded since the last call with the other instances: one
	 * pipelined round trip to Redis for all of them. Runs a few milliseconds after a
	 * write, so that the writes of a busy moment share it and no request waits for Redis;
	 * meanwhile this instance's own memory already holds the positions, and consistent
	 * hashing sends each user back here.
	 */
	void publish() {
		this.publishScheduled.set(false);
		Map<Long, ReplicationPosition> batch = new HashMap<>();
		for (Long userId : this.unpublished.keySet()) {
			ReplicationPosition position = this.unpublished.remove(userId);
			if (position != null) {
				batch.put(userId, position);
			}
		}
		if (batch.isEmpty()) {
			return;
		}
		List<String> keys = new ArrayList<>(batch.size());
		List<String> arguments = new ArrayList<>();
		arguments.add(Long.toString(this.properties.ttl().toMillis()));
		batch.forEach((userId, position) -> {
			keys.add(key(userId));
			arguments.add(Integer.toString(position.parts().size()));
			position.parts().forEach((source, part) -> {
				arguments.add(source);
				arguments.add(Long.toString(part.highest()));
				arguments.add(part.text());
			});
		});
		try {
			this.redis.execute(MERGE, keys, arguments.toArray());
		}
		catch (RuntimeException ex) {
			this.redisFailures.increment(batch.size());
			log.warn("Cannot share the commit positions of {} users in Redis: {}", batch.size(), ex.getMessage());
		}
	}

	/**
	 * Publishes what is pending and stops publishing (at shutdown).
	 */
	void close() {
		this.publisher.shutdown();
		publish();
	}

	/**
	 * What a user's read needs from the replica.
	 * @param userId the user
	 * @return the requirement
	 */
	public Requirement requirementFor(long userId) {
		ReplicationPosition known = this.local.getIfPresent(userId);
		ReplicationPosition shared;
		try {
			shared = shared(this.redis.<String, String>opsForHash().entries(key(userId)));
		}
		catch (RuntimeException ex) {
			this.redisFailures.increment();
			return (known != null) ? Requirement.position(known) : Requirement.UNKNOWN;
		}
		ReplicationPosition position = (known != null) ? known.merge(shared) : shared;
		return position.isEmpty() ? Requirement.NONE : Requirement.position(position);
	}

	private static ReplicationPosition shared(Map<String, String> stored) {
		Map<String, ReplicationPosition.Part> parts = new HashMap<>();
		stored.forEach((source, value) -> {
			int separator = value.indexOf('|');
			if (separator > 0) {
				parts.put(source, new ReplicationPosition.Part(Long.parseLong(value.substring(0, separator)),
						value.substring(separator + 1)));
			}
		});
		return new ReplicationPosition(parts);
	}

	/**
	 * The longest wait on the replica.
	 * @return the wait
	 */
	Duration maxWait() {
		return this.properties.maxWait();
	}

	private static String key(long userId) {
		return "orders:read-your-writes:" + userId;
	}

	/**
	 * What a read needs.
	 *
	 * @param kind whether the replica is fine as it is, must reach a position, or must
	 * not be used
	 * @param position the position when {@code kind} is {@code POSITION}
	 */
	public record Requirement(Kind kind, @Nullable ReplicationPosition position) {

		static final Requirement NONE = new Requirement(Kind.NONE, null);

		static final Requirement UNKNOWN = new Requirement(Kind.UNKNOWN, null);

		static Requirement position(ReplicationPosition position) {
			return new Requirement(Kind.POSITION, position);
		}

		/** Kinds of requirement. */
		public enum Kind {

			/** The user wrote nothing recently. */
			NONE,
			/** The replica must have applied {@code position}. */
			POSITION,
			/** Unknown whether the user wrote recently: use the primary. */
			UNKNOWN

		}

	}

}
