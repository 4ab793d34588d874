package dev.sysdesign.orders.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The two-level cache of product and order reads ({@code orders.cache.*}).
 *
 * @param enabled whether reads are cached at all (off: every read goes to the database)
 * @param l1 the per-instance level
 * @param l2 the shared level in Redis
 * @param freshWindow how long after an invalidation a key is filled from the primary
 * rather than the replica (which may not have applied the change yet); longer than any
 * replica lag the replica check tolerates
 */
@ConfigurationProperties("orders.cache")
public record CacheProperties(@DefaultValue("true") boolean enabled, @DefaultValue L1 l1, @DefaultValue L2 l2,
		@DefaultValue("60s") Duration freshWindow) {

	/**
	 * The local level (Caffeine): small and short-lived, so that an instance that missed
	 * an invalidation (it was disconnected from the broker) serves the old value only
	 * briefly.
	 *
	 * @param maximumSize entries per cache
	 * @param ttl time to live after the fill
	 */
	public record L1(@DefaultValue("10000") long maximumSize, @DefaultValue("30s") Duration ttl) {
	}

	/**
	 * The shared level (Redis).
	 *
	 * @param enabled whether to use it at all
	 * @param ttl time to live after the fill
	 * @param jitter the fraction by which each entry's time to live is randomly shortened
	 * or lengthened, so that entries filled together do not expire together
	 * @param keyPrefix the prefix of every key
	 * @param retryAfter how long the level is skipped after a Redis failure
	 */
	public record L2(@DefaultValue("true") boolean enabled, @DefaultValue("5m") Duration ttl,
			@DefaultValue("0.1") double jitter, @DefaultValue("order-service:cache:") String keyPrefix,
			@DefaultValue("5s") Duration retryAfter) {

		/**
		 * The longest time to live an entry can get.
		 * @return the time to live with the whole jitter added
		 */
		Duration maximumTtl() {
			return Duration.ofMillis(Math.round(this.ttl.toMillis() * (1 + this.jitter)));
		}

	}

}
