package dev.sysdesign.orders.catalog;

import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The catalog: products with their prices and stock.
 */
@Service
public class Catalog {

	private final ProductRepository products;

	Catalog(ProductRepository products) {
		this.products = products;
	}

	/**
	 * Every product, by sku (served by the replica when it can).
	 * @return the products
	 */
	@Transactional(readOnly = true)
	public List<Product> products() {
		return this.products.findAll();
	}

	/**
	 * Adds units to a product's stock.
	 * @param sku the product
	 * @param quantity the units to add, positive
	 * @return the product after the change
	 * @throws ProductNotFoundException when there is no such product
	 */
	@Transactional
	public Product restock(String sku, int quantity) {
		if (!this.products.release(sku, quantity)) {
			throw new ProductNotFoundException(sku);
		}
		return this.products.findBySku(sku).orElseThrow(() -> new ProductNotFoundException(sku));
	}

}
