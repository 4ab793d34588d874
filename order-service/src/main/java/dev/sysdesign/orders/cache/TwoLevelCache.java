package dev.sysdesign.orders.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cache.support.AbstractValueAdaptingCache;

import dev.sysdesign.orders.database.ReadRouting;

/**
 * A cache of two levels for Spring's cache abstraction: a small, short-lived Caffeine
 * cache per instance (L1) in front of Redis (L2), in front of the database.
 * <ul>
 * <li>Concurrent misses for one key load once: the first caller loads, in its own thread,
 * while the others wait for its value ({@code @Cacheable(sync = true)}). The local level
 * holds the value's future, so a load never holds a lock of the cache.
 * <li>An invalidation never waits for anything: it removes the key, including a load in
 * progress, whose value then reaches only the callers that were already waiting for it
 * and is never stored (a fan-out listener evicting keys is never held up by a slow
 * database). In Redis, fills are guarded by a generation that every invalidation raises
 * (see {@link SharedLevel}).
 * <li>For a while after an invalidation a key is loaded from the primary, not from the
 * replica, which may not have applied the change yet.
 * <li>Without Redis, the cache keeps working on its local level.
 * </ul>
 * Missing values ({@code null}) are not cached.
 */
public class TwoLevelCache extends AbstractValueAdaptingCache {

	private static final Logger log = LoggerFactory.getLogger(TwoLevelCache.class);

	private final String name;

	private final AsyncCache<Object, Object> local;

	/** Keys invalidated within the fresh window, known here even when Redis is not. */
	private final Cache<Object, Boolean> invalidated;

	private final @Nullable SharedLevel shared;

	private final ValueCodec<Object> codec;

	private final Counter l1Hits;

	private final Counter l1Misses;

	private final Counter l2Hits;

	private final Counter l2Misses;

	private final Counter routedLoads;

	private final Counter freshLoads;

	private final Counter invalidations;

	@SuppressWarnings("unchecked")
	TwoLevelCache(String name, CacheProperties properties, @Nullable SharedLevel shared, ValueCodec<?> codec,
			MeterRegistry meters) {
		super(false);
		this.name = name;
		this.local = Caffeine.newBuilder()
			.maximumSize(properties.l1().maximumSize())
			.expireAfterWrite(properties.l1().ttl())
			.buildAsync();
		this.invalidated = Caffeine.newBuilder()
			.maximumSize(properties.l1().maximumSize())
			.expireAfterWrite(properties.freshWindow())
			.build();
		this.shared = shared;
		this.codec = (ValueCodec<Object>) codec;
		this.l1Hits = gets(meters, "l1", "hit");
		this.l1Misses = gets(meters, "l1", "miss");
		this.l2Hits = gets(meters, "l2", "hit");
		this.l2Misses = gets(meters, "l2", "miss");
		this.routedLoads = loads(meters, "routed");
		this.freshLoads = loads(meters, "primary");
		this.invalidations = Counter.builder("cache.invalidations")
			.description("Keys removed from both levels after a change")
			.tag("cache", name)
			.register(meters);
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Object getNativeCache() {
		return this.local;
	}

	@Override
	protected @Nullable Object lookup(Object key) {
		return localOrLoad(key, (missing) -> fromShared(missing, lookupShared(missing)));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		return (T) fromStoreValue(localOrLoad(key, (missing) -> load(missing, valueLoader)));
	}

	/**
	 * The local value, or the value of a load in progress, or the value this caller loads
	 * itself, in its own thread, with the others waiting for it. A load that fails or
	 * finds nothing leaves no entry.
	 */
	private @Nullable Object localOrLoad(Object key, Function<Object, @Nullable Object> loader) {
		ConcurrentMap<Object, CompletableFuture<Object>> entries = this.local.asMap();
		CompletableFuture<Object> present = entries.get(key);
		if (present != null && present.isDone() && !present.isCompletedExceptionally()) {
			this.l1Hits.increment();
			return present.join();
		}
		this.l1Misses.increment();
		CompletableFuture<Object> mine = new CompletableFuture<>();
		CompletableFuture<Object> running = entries.putIfAbsent(key, mine);
		if (running != null) {
			try {
				return running.join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
			}
		}
		try {
			Object value = loader.apply(key);
			// a null value completes the future and removes the entry
			mine.complete(value);
			return value;
		}
		catch (RuntimeException | Error ex) {
			mine.completeExceptionally(ex);
			entries.remove(key, mine);
			throw ex;
		}
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		if (value == null) {
			evict(key);
			return;
		}
		this.local.put(key, CompletableFuture.completedFuture(value));
		if (this.shared != null) {
			this.shared.fill(this.name, key.toString(), this.codec.write(value), lookupShared(key));
		}
	}

	/**
	 * Removes a key from both levels, without waiting for anything: a load of it in
	 * progress on this instance is removed too (its value is never stored), and the next
	 * loads read from the primary for a while.
	 */
	@Override
	public void evict(Object key) {
		this.invalidated.put(key, Boolean.TRUE);
		this.local.synchronous().invalidate(key);
		if (this.shared != null) {
			this.shared.invalidate(this.name, key.toString());
		}
		this.invalidations.increment();
	}

	/**
	 * Empties this instance's level only.
	 */
	public void clearLocal() {
		this.local.synchronous().invalidateAll();
	}

	@Override
	public void clear() {
		this.local.synchronous().invalidateAll();
		if (this.shared != null) {
			this.shared.clear(this.name);
		}
	}

	private @Nullable Object load(Object key, Callable<?> loader) {
		SharedLevel.Lookup seen = lookupShared(key);
		Object cached = fromShared(key, seen);
		if (cached != null) {
			return cached;
		}
		boolean fresh = seen.recentlyInvalidated() || this.invalidated.getIfPresent(key) != null;
		Object value;
		try {
			value = fresh ? ReadRouting.onPrimary(loader) : loader.call();
		}
		catch (Exception ex) {
			throw new ValueRetrievalException(key, loader, ex);
		}
		(fresh ? this.freshLoads : this.routedLoads).increment();
		if (value != null && this.shared != null) {
			this.shared.fill(this.name, key.toString(), this.codec.write(value), seen);
		}
		return value;
	}

	private SharedLevel.Lookup lookupShared(Object key) {
		return (this.shared != null) ? this.shared.lookup(this.name, key.toString()) : SharedLevel.Lookup.UNAVAILABLE;
	}

	private @Nullable Object fromShared(Object key, SharedLevel.Lookup seen) {
		if (!seen.available()) {
			return null;
		}
		byte[] bytes = seen.value();
		if (bytes != null) {
			try {
				Object value = this.codec.read(bytes);
				this.l2Hits.increment();
				return value;
			}
			catch (RuntimeException ex) {
				// written by another version of the service: load it again
				log.warn("Ignoring an unreadable {} entry for {}: {}", this.name, key, ex.toString());
			}
		}
		this.l2Misses.increment();
		return null;
	}

	private Counter gets(MeterRegistry meters, String level, String result) {
		return Counter.builder("cache.gets")
			.description("Cache lookups per level")
			.tag("cache", this.name)
			.tag("level", level)
			.tag("result", result)
			.register(meters);
	}

	private Counter loads(MeterRegistry meters, String source) {
		return Counter.builder("cache.loads")
			.description("Values loaded from the database after a miss of both levels: 'primary' after a "
					+ "recent invalidation, 'routed' where the read routing chose (usually the replica)")
			.tag("cache", this.name)
			.tag("source", source)
			.register(meters);
	}

}
