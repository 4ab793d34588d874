package dev.sysdesign.orders.cache;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

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

import dev.sysdesign.orders.catalog.Product;
import dev.sysdesign.orders.order.Order;
import dev.sysdesign.orders.order.OrderSnapshot;

/**
 * The two-level caches of orders and the catalog (see {@link TwoLevelCache}).
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
	CacheManager cacheManager(CacheProperties properties, ObjectProvider<SharedLevel> shared, JsonMapper json,
			MeterRegistry meters) {
		if (!properties.enabled()) {
			return new NoOpCacheManager();
		}
		SharedLevel level = properties.l2().enabled() ? shared.getObject() : null;
		ValueCodec<Order> orders = JsonCodec.via(json, OrderSnapshot.class, OrderSnapshot::of, OrderSnapshot::toOrder);
		ValueCodec<List<Product>> products = JsonCodec.of(json,
				json.getTypeFactory().constructCollectionType(List.class, Product.class));
		SimpleCacheManager manager = new SimpleCacheManager();
		manager.setCaches(List.of(new TwoLevelCache(Caches.ORDERS, properties, level, orders, meters),
				new TwoLevelCache(Caches.PRODUCTS, properties, level, products, meters)));
		return manager;
	}

}
