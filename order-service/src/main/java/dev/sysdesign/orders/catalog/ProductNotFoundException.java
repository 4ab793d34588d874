package dev.sysdesign.orders.catalog;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * No product has the requested sku.
 */
public class ProductNotFoundException extends ProblemException {

	public ProductNotFoundException(String sku) {
		super(404, ProblemTypes.NOT_FOUND, "Not found", "No product " + sku + ".");
	}

}
