package dev.sysdesign.orders.order;

/**
 * An order cannot make the requested transition from its current status.
 */
public class OrderStateException extends RuntimeException {

	private final OrderStatus current;

	public OrderStateException(OrderId id, OrderStatus current, OrderStatus requested) {
		super("Order " + id + " is " + current + " and cannot become " + requested);
		this.current = current;
	}

	/**
	 * The order's status.
	 * @return the status that forbade the transition
	 */
	public OrderStatus current() {
		return this.current;
	}

}
