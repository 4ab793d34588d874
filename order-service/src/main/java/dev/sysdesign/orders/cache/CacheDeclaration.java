package dev.sysdesign.orders.cache;

/**
 * A two-level cache a feature declares as a bean: the cache infrastructure builds one
 * {@link TwoLevelCache} per declaration, and knows nothing of what the features cache.
 *
 * @param name the cache's name (also its key prefix in Redis and its metrics tag)
 * @param codec how its values are stored in Redis
 */
public record CacheDeclaration(String name, ValueCodec<?> codec) {
}
