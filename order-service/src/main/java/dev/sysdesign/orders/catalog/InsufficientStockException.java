package dev.sysdesign.orders.catalog;

/**
 * A product has fewer units in stock than requested.
 */
public class InsufficientStockException extends RuntimeException {

	private final String sku;

	public InsufficientStockException(String sku) {
		super("Not enough stock of " + sku);
		this.sku = sku;
	}

	/**
	 * The product that ran short.
	 * @return its sku
	 */
	public String sku() {
		return this.sku;
	}

}
