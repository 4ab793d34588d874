package dev.sysdesign.orders.order;

/**
 * One line of an order.
 *
 * @param sku the product
 * @param quantity the units, 1 to 1000
 * @param unitPriceCents the catalog price of one unit when the order was placed
 */
public record OrderLine(String sku, int quantity, long unitPriceCents) {

	/**
	 * The line's amount.
	 * @return quantity × unit price, in cents
	 */
	public long amountCents() {
		return this.quantity * this.unitPriceCents;
	}

}
