package dev.sysdesign.orders.catalog;

import java.util.Collection;
import java.util.List;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * Products that are not in the catalog were referenced.
 */
public class UnknownProductException extends ProblemException {

	private final List<String> skus;

	public UnknownProductException(Collection<String> skus) {
		super(422, ProblemTypes.UNKNOWN_PRODUCT, "Unknown product",
				"Not in the catalog: " + String.join(", ", skus) + ".");
		this.skus = List.copyOf(skus);
		property("skus", this.skus);
	}

	/**
	 * The unknown skus.
	 * @return the skus, in request order
	 */
	public List<String> skus() {
		return this.skus;
	}

}
