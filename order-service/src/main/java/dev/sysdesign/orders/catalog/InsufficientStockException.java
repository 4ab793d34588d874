package dev.sysdesign.orders.catalog;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * A product has fewer units in stock than requested.
 */
public class InsufficientStockException extends ProblemException {

	private final String sku;

	public InsufficientStockException(String sku) {
		super(409, ProblemTypes.INSUFFICIENT_STOCK, "Not enough stock", "Not enough units of " + sku + " in stock.");
		this.sku = sku;
		property("sku", sku);
	}

	/**
	 * The product that ran short.
	 * @return its sku
	 */
	public String sku() {
		return this.sku;
	}

}
