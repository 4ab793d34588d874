package dev.sysdesign.orders.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The shared level of the caches, in Redis. Each entry has a generation counter beside
 * it, raised by every invalidation: a fill succeeds only if the generation is still the
 * one seen at the miss, so a load that raced with an invalidation never puts the older
 * value back. A generation that exists also tells the next loader that the key changed
 * moments ago, so it reads from the primary.
 * <p>
 * Redis failures never reach the caller: the level is skipped for a while (a metric and a
 * warning say so), and after an invalidation failed, its reads are not trusted again
 * until every entry written before the failure has expired.
 */
class SharedLevel {

	private static final Logger log = LoggerFactory.getLogger(SharedLevel.class);

	/** KEYS: value, generation; ARGV: generation seen at the miss, value, ttl ms. */
	private static final RedisScript<Long> FILL = RedisScript.of("""
			if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return 0 end
			redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
			return 1""", Long.class);

	/** KEYS: value, generation; ARGV: generation ttl ms. */
	private static final RedisScript<Long> INVALIDATE = RedisScript.of("""
			local generation = redis.call('INCR', KEYS[2])
			redis.call('PEXPIRE', KEYS[2], ARGV[1])
			redis.call('DEL', KEYS[1])
			return generation""", Long.class);

	private final RedisTemplate<String, byte[]> redis;

	private final CacheProperties.L2 settings;

	private final Duration freshWindow;

	private final Clock clock;

	private final MeterRegistry meters;

	private final AtomicBoolean down = new AtomicBoolean();

	/** Epoch millis before which the level is skipped after a failure. */
	private final AtomicLong skipUntil = new AtomicLong();

	/**
	 * Epoch millis before which the level's values are not read (missed invalidations).
	 */
	private final AtomicLong distrustUntil = new AtomicLong();

	SharedLevel(RedisTemplate<String, byte[]> redis, CacheProperties properties, Clock clock, MeterRegistry meters) {
		this.redis = redis;
		this.settings = properties.l2();
		this.freshWindow = properties.freshWindow();
		this.clock = clock;
		this.meters = meters;
		Gauge.builder("cache.l2.available", this, (level) -> level.down.get() ? 0 : 1)
			.description("Whether the shared cache level (Redis) is in use")
			.register(meters);
	}

	/**
	 * Looks a key up.
	 * @param cache the cache
	 * @param key the key
	 * @return the stored value and generation, or {@link Lookup#UNAVAILABLE}
	 */
	Lookup lookup(String cache, String key) {
		if (skipping()) {
			return Lookup.UNAVAILABLE;
		}
		try {
			List<byte[]> found = this.redis.opsForValue()
				.multiGet(List.of(valueKey(cache, key), generationKey(cache, key)));
			recovered();
			if (found == null) {
				return Lookup.UNAVAILABLE;
			}
			String generation = (found.get(1) != null) ? new String(found.get(1), StandardCharsets.US_ASCII) : "";
			byte[] value = trusted() ? found.get(0) : null;
			return new Lookup(true, value, generation);
		}
		catch (RuntimeException ex) {
			failed("lookup", ex);
			return Lookup.UNAVAILABLE;
		}
	}

	/**
	 * Stores a loaded value unless the key was invalidated since the lookup.
	 * @param cache the cache
	 * @param key the key
	 * @param value the value's bytes
	 * @param seen the lookup that missed
	 * @return whether the value was stored
	 */
	boolean fill(String cache, String key, byte[] value, Lookup seen) {
		if (!seen.available() || skipping() || !trusted()) {
			return false;
		}
		try {
			Long stored = this.redis.execute(FILL, List.of(valueKey(cache, key), generationKey(cache, key)),
					seen.generation().getBytes(StandardCharsets.US_ASCII), value,
					Long.toString(ttl().toMillis()).getBytes(StandardCharsets.US_ASCII));
			recovered();
			return stored != null && stored == 1;
		}
		catch (RuntimeException ex) {
			failed("fill", ex);
			return false;
		}
	}

	/**
	 * Removes a key's value and raises its generation.
	 * @param cache the cache
	 * @param key the key
	 */
	void invalidate(String cache, String key) {
		if (!skipping()) {
			try {
				this.redis.execute(INVALIDATE, List.of(valueKey(cache, key), generationKey(cache, key)),
						Long.toString(this.freshWindow.toMillis()).getBytes(StandardCharsets.US_ASCII));
				recovered();
				return;
			}
			catch (RuntimeException ex) {
				failed("invalidate", ex);
			}
		}
		// the old value may still be in Redis: read nothing from it until it has expired
		long until = this.clock.millis() + this.settings.maximumTtl().toMillis();
		this.distrustUntil.accumulateAndGet(until, Math::max);
	}

	/**
	 * Removes every entry of a cache.
	 * @param cache the cache
	 */
	void clear(String cache) {
		try (Cursor<String> keys = this.redis
			.scan(ScanOptions.scanOptions().match(this.settings.keyPrefix() + cache + ":*").count(500).build())) {
			while (keys.hasNext()) {
				this.redis.delete(keys.next());
			}
			recovered();
		}
		catch (RuntimeException ex) {
			failed("clear", ex);
			this.distrustUntil.accumulateAndGet(this.clock.millis() + this.settings.maximumTtl().toMillis(), Math::max);
		}
	}

	private Duration ttl() {
		double jitter = this.settings.jitter();
		double factor = (jitter > 0) ? 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter) : 1;
		return Duration.ofMillis(Math.max(1, Math.round(this.settings.ttl().toMillis() * factor)));
	}

	private boolean skipping() {
		return this.clock.millis() < this.skipUntil.get();
	}

	private boolean trusted() {
		return this.clock.millis() >= this.distrustUntil.get();
	}

	private void failed(String operation, RuntimeException ex) {
		this.skipUntil.set(this.clock.millis() + this.settings.retryAfter().toMillis());
		Counter.builder("cache.l2.errors")
			.description("Failed operations on the shared cache level (Redis)")
			.tag("operation", operation)
			.register(this.meters)
			.increment();
		if (this.down.compareAndSet(false, true)) {
			log.warn("Shared cache level (Redis) unavailable, serving from the local level and the database "
					+ "and trying again in {}: {}", this.settings.retryAfter(), ex.toString());
		}
	}

	private void recovered() {
		if (this.down.compareAndSet(true, false)) {
			log.info("Shared cache level (Redis) available again{}",
					trusted() ? "" : "; its values are read again once those written before the failure have expired");
		}
	}

	private String valueKey(String cache, String key) {
		// the hash tag keeps an entry and its generation in one slot of a Redis cluster
		return this.settings.keyPrefix() + cache + ":{" + key + "}";
	}

	private String generationKey(String cache, String key) {
		return valueKey(cache, key) + ":generation";
	}

	/**
	 * What a lookup found.
	 *
	 * @param available whether Redis answered
	 * @param value the stored value, or {@code null}
	 * @param generation the key's generation, empty when it was not invalidated recently
	 */
	record Lookup(boolean available, byte @Nullable [] value, String generation) {

		static final Lookup UNAVAILABLE = new Lookup(false, null, "");

		boolean recentlyInvalidated() {
			return !this.generation.isEmpty();
		}

	}

}
