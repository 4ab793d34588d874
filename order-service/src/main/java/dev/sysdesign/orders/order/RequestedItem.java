package dev.sysdesign.orders.order;

/**
 * A line a customer asks for: a product and a quantity (prices come from the catalog).
 *
 * @param sku the product
 * @param quantity the units
 */
public record RequestedItem(String sku, int quantity) {
}
