package dev.sysdesign.orders.order;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * An order cannot make the requested transition from its current status.
 */
public class OrderStateException extends ProblemException {

	private final OrderStatus current;

	public OrderStateException(OrderId id, OrderStatus current, OrderStatus requested) {
		super(409, ProblemTypes.ORDER_STATE, "Order state conflict",
				"The order is " + current + "; only a PENDING order can change.");
		this.current = current;
		property("orderStatus", current);
	}

	/**
	 * The order's status.
	 * @return the status that forbade the transition
	 */
	public OrderStatus current() {
		return this.current;
	}

}
