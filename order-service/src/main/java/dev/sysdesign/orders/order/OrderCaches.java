package dev.sysdesign.orders.order;

import java.util.Objects;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.sysdesign.orders.cache.CacheDeclaration;
import dev.sysdesign.orders.cache.JsonCodec;

/**
 * The orders' cache: orders by id ({@link OrderLookup}), stored in Redis as
 * {@link OrderSnapshot}s.
 */
@Configuration(proxyBeanMethods = false)
public class OrderCaches {

	/** Orders by id. */
	public static final String ORDERS = "orders";

	@Bean
	CacheDeclaration ordersCache(JsonMapper json) {
		return new CacheDeclaration(ORDERS,
				JsonCodec.via(json, OrderSnapshot.class, OrderSnapshot::of, OrderSnapshot::toOrder));
	}

	/**
	 * Drops a changed order from both levels: on the instance that changed it as soon as
	 * its transaction commits, and on every instance when the change's fan-out message
	 * arrives (which also covers a writer that died between its commit and its own
	 * eviction). Runs before the other listeners of the same events, so that a client
	 * told of a change over its WebSocket and reading again gets the new state.
	 */
	@Component
	static class OrderCacheEviction {

		private final Cache orders;

		OrderCacheEviction(CacheManager caches) {
			this.orders = Objects.requireNonNull(caches.getCache(ORDERS));
		}

		@TransactionalEventListener(fallbackExecution = true)
		@org.springframework.core.annotation.Order(Ordered.HIGHEST_PRECEDENCE)
		void orderChanged(OrderChanged change) {
			this.orders.evict(change.orderId().toString());
		}

		@EventListener
		@org.springframework.core.annotation.Order(Ordered.HIGHEST_PRECEDENCE)
		void orderStatusChanged(OrderStatusChanged change) {
			this.orders.evict(change.orderId().toString());
		}

	}

}
