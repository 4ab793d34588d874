package dev.sysdesign.orders.order;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Orders by id through the caches. A miss reads in a read-only transaction, opened only
 * then, so a cache hit touches no database connection.
 */
@Component
class OrderLookup {

	private final OrderRepository orders;

	private final TransactionTemplate reads;

	OrderLookup(OrderRepository orders, PlatformTransactionManager transactions) {
		this.orders = orders;
		this.reads = new TransactionTemplate(transactions);
		this.reads.setReadOnly(true);
	}

	@Cacheable(cacheNames = OrderCaches.ORDERS, key = "#id.toString()", sync = true)
	public @Nullable Order find(OrderId id) {
		return this.reads.execute((status) -> this.orders.findById(id).orElse(null));
	}

}
