package dev.sysdesign.orders.catalog;

import java.util.List;

/**
 * The stock of some products changed: published locally in the transaction of the change,
 * and again on every instance from the {@code product.changed} fan-out.
 *
 * @param skus the products
 */
public record ProductsChanged(List<String> skus) {
}
