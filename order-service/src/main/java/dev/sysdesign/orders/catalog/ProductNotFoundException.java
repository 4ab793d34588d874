package dev.sysdesign.orders.catalog;

/**
 * No product has the requested sku.
 */
public class ProductNotFoundException extends RuntimeException {

	public ProductNotFoundException(String sku) {
		super("No product " + sku);
	}

}
