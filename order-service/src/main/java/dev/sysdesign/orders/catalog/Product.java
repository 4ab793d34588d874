package dev.sysdesign.orders.catalog;

/**
 * A product of the catalog.
 *
 * @param sku the stock-keeping unit, its identifier
 * @param name the display name
 * @param unitPriceCents the price of one unit in cents; orders take it from here, never
 * from the client
 * @param stock units available, never negative
 * @param version increases with every change
 */
public record Product(String sku, String name, long unitPriceCents, int stock, long version) {
}
