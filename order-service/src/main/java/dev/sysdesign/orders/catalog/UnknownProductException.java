package dev.sysdesign.orders.catalog;

import java.util.Collection;
import java.util.List;

/**
 * Products that are not in the catalog were referenced.
 */
public class UnknownProductException extends RuntimeException {

	private final List<String> skus;

	public UnknownProductException(Collection<String> skus) {
		super("Unknown product: " + String.join(", ", skus));
		this.skus = List.copyOf(skus);
	}

	/**
	 * The unknown skus.
	 * @return the skus, in request order
	 */
	public List<String> skus() {
		return this.skus;
	}

}
