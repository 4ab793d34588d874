package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

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
 * records, right after its commit, the replication position that contains it — in Redis
 * (shared by every instance, {@code ttl}) and in this instance's memory. That user's
 * reads then use the replica only once it has applied that position (a bounded wait on
 * the replica), and otherwise the primary.
 * <p>
 * When neither Redis nor this instance knows whether the user wrote recently (Redis
 * unreachable), the user's reads go to the primary: correctness over load.
 */
public class ReadYourWrites {

	private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);

	/**
	 * Sets the key only when the new position is newer (by ordinal) than the stored one.
	 */
	private static final RedisScript<Long> STORE_IF_NEWER = RedisScript.of("""
			local current = redis.call('GET', KEYS[1])
			if current then
			  local ordinal = tonumber(string.match(current, '^(%d+)|'))
			  if ordinal and ordinal >= tonumber(ARGV[1]) and ARGV[1] ~= '9223372036854775807' then
			    return 0
			  end
			end
			redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
			return 1
			""", Long.class);

	private final StringRedisTemplate redis;

	private final ObjectProvider<DataSource> dataSource;

	private final DatabaseDialect dialect;

	private final ReadYourWritesProperties properties;

	private final Cache<Long, String> local;

	private final Counter redisFailures;

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
		String position;
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
		if (position == null) {
			return;
		}
		this.local.asMap().merge(userId, position, this::newer);
		try {
			this.redis.execute(STORE_IF_NEWER, List.of(key(userId)), Long.toString(this.dialect.ordinal(position)),
					position, Long.toString(this.properties.ttl().toMillis()));
		}
		catch (RuntimeException ex) {
			this.redisFailures.increment();
			log.warn("Cannot store the commit position of user {} in Redis: {}", userId, ex.getMessage());
		}
	}

	/**
	 * What a user's read needs from the replica.
	 * @param userId the user
	 * @return the requirement
	 */
	public Requirement requirementFor(long userId) {
		String known = this.local.getIfPresent(userId);
		String shared;
		try {
			String stored = this.redis.opsForValue().get(key(userId));
			shared = (stored != null) ? stored.substring(stored.indexOf('|') + 1) : null;
		}
		catch (RuntimeException ex) {
			this.redisFailures.increment();
			return (known != null) ? Requirement.position(known) : Requirement.UNKNOWN;
		}
		String position = (known == null) ? shared : (shared == null) ? known : newer(known, shared);
		return (position != null) ? Requirement.position(position) : Requirement.NONE;
	}

	/**
	 * The longest wait on the replica.
	 * @return the wait
	 */
	Duration maxWait() {
		return this.properties.maxWait();
	}

	private String newer(String a, String b) {
		return (this.dialect.ordinal(b) >= this.dialect.ordinal(a)) ? b : a;
	}

	private static String key(long userId) {
		return "orders:ryw:" + userId;
	}

	/**
	 * What a read needs.
	 *
	 * @param kind whether the replica is fine as it is, must reach a position, or must
	 * not be used
	 * @param position the position when {@code kind} is {@code POSITION}
	 */
	public record Requirement(Kind kind, @Nullable String position) {

		static final Requirement NONE = new Requirement(Kind.NONE, null);

		static final Requirement UNKNOWN = new Requirement(Kind.UNKNOWN, null);

		static Requirement position(String position) {
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
