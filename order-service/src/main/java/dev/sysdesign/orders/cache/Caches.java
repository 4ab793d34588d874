package dev.sysdesign.orders.cache;

/**
 * The names of the order-service's caches.
 */
public final class Caches {

	/** Orders by id ({@link dev.sysdesign.orders.order.Order}). */
	public static final String ORDERS = "orders";

	/** The catalog, under the single key {@value #ALL_PRODUCTS}. */
	public static final String PRODUCTS = "products";

	/** The key of the whole catalog in {@link #PRODUCTS}. */
	public static final String ALL_PRODUCTS = "all";

	private Caches() {
	}

}
