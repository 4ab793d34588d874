package dev.sysdesign.orders.cache;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.cache.CacheManager;
import org.springframework.stereotype.Component;

/**
 * Drops everything held locally whenever the broker connection is re-established: a new
 * connection has a new fan-out queue, so the changes fanned out meanwhile never reached
 * this instance. The features drop their own changed entries ({@code OrderCacheEviction},
 * {@code CatalogCacheEviction}).
 */
@Component
class CacheInvalidation {

	CacheInvalidation(CacheManager caches, ConnectionFactory broker) {
		if (broker instanceof AbstractConnectionFactory factory) {
			factory.addConnectionListener((connection) -> clearLocal(caches));
		}
	}

	private static void clearLocal(CacheManager caches) {
		for (String name : caches.getCacheNames()) {
			if (caches.getCache(name) instanceof TwoLevelCache cache) {
				cache.clearLocal();
			}
		}
	}

}
