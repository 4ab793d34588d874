package dev.sysdesign.orders.order;

/**
 * No order with that id exists for the caller (it may exist for another user: callers
 * cannot tell the difference).
 */
public class OrderNotFoundException extends RuntimeException {

	public OrderNotFoundException(OrderId id) {
		super("No order " + id);
	}

}
