package dev.sysdesign.orders.cache;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.cache.support.SimpleCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The two-level caches (see {@link TwoLevelCache}), one per {@link CacheDeclaration} a
 * feature declares.
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
@EnableConfigurationProperties(CacheProperties.class)
class CacheConfiguration {

	@Bean
	SharedLevel sharedCacheLevel(RedisConnectionFactory connections, CacheProperties properties, Clock clock,
			MeterRegistry meters) {
		RedisTemplate<String, byte[]> redis = new RedisTemplate<>();
		redis.setConnectionFactory(connections);
		redis.setKeySerializer(RedisSerializer.string());
		redis.setValueSerializer(RedisSerializer.byteArray());
		redis.afterPropertiesSet();
		return new SharedLevel(redis, properties, clock, meters);
	}

	@Bean
	CacheManager cacheManager(CacheProperties properties, ObjectProvider<SharedLevel> shared,
			ObjectProvider<CacheDeclaration> declarations, MeterRegistry meters) {
		if (!properties.enabled()) {
			return new NoOpCacheManager();
		}
		SharedLevel level = properties.l2().enabled() ? shared.getObject() : null;
		SimpleCacheManager manager = new SimpleCacheManager();
		manager.setCaches(declarations.orderedStream()
			.map((declaration) -> new TwoLevelCache(declaration.name(), properties, level, declaration.codec(), meters))
			.toList());
		return manager;
	}

}
