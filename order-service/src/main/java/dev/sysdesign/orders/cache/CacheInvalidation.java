package dev.sysdesign.orders.cache;

import java.util.Objects;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.sysdesign.orders.catalog.ProductsChanged;
import dev.sysdesign.orders.order.OrderChanged;
import dev.sysdesign.orders.order.OrderStatusChanged;

/**
 * Drops changed entries from both levels: on the instance that made the change as soon as
 * its transaction commits, and on every instance when the change's fan-out message
 * arrives (which also covers a writer that died between its commit and its own
 * invalidation), and locally whenever the broker connection is re-established (the
 * instance may have missed fan-out messages meanwhile). Runs before the other listeners
 * of the same events, so that a client told of a change over its WebSocket and reading
 * again gets the new state.
 */
@Component
class CacheInvalidation {

	private final Cache orders;

	private final Cache products;

	CacheInvalidation(CacheManager caches, ConnectionFactory broker) {
		this.orders = Objects.requireNonNull(caches.getCache(Caches.ORDERS));
		this.products = Objects.requireNonNull(caches.getCache(Caches.PRODUCTS));
		if (broker instanceof AbstractConnectionFactory factory) {
			// a new connection (after an outage) has a new fan-out queue: what was fanned
			// out
			// meanwhile never reached this instance, so drop everything held locally
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

	@TransactionalEventListener(fallbackExecution = true)
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void orderChanged(OrderChanged change) {
		this.orders.evict(change.orderId().toString());
	}

	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void orderStatusChanged(OrderStatusChanged change) {
		this.orders.evict(change.orderId().toString());
	}

	@TransactionalEventListener(fallbackExecution = true)
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void productsChanged(ProductsChanged change) {
		this.products.evict(Caches.ALL_PRODUCTS);
	}

}
