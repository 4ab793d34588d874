package dev.sysdesign.orders.order;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * No order with that id exists for the caller (it may exist for another user: callers
 * cannot tell the difference).
 */
public class OrderNotFoundException extends ProblemException {

	public OrderNotFoundException(OrderId id) {
		super(404, ProblemTypes.NOT_FOUND, "Not found", "No order " + id + ".");
	}

}
