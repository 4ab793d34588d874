package dev.sysdesign.orders.order;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads of orders: single orders through the caches, lists in read-only transactions
 * (served by the replica when it is healthy and has applied the caller's last write,
 * otherwise by the primary).
 */
@Service
public class OrderQueries {

	private final OrderRepository orders;

	private final OrderLookup lookup;

	OrderQueries(OrderRepository orders, OrderLookup lookup) {
		this.orders = orders;
		this.lookup = lookup;
	}

	/**
	 * Finds one of the caller's orders.
	 * @param userId the caller
	 * @param id the order
	 * @return the order, empty when missing or owned by another user
	 */
	public Optional<Order> find(long userId, OrderId id) {
		return Optional.ofNullable(this.lookup.find(id)).filter((order) -> order.isOwnedBy(userId));
	}

	/**
	 * Lists the caller's orders, newest first.
	 * @param userId the caller
	 * @param status only orders in this status, or {@code null} for all
	 * @param page the page, from 0
	 * @param size the page size, 1 to 100
	 * @return the page
	 */
	@Transactional(readOnly = true)
	public OrderPage list(long userId, @Nullable OrderStatus status, int page, int size) {
		return this.orders.findByUser(userId, status, page, size);
	}

}
