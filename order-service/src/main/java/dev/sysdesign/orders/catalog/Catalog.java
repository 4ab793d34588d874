package dev.sysdesign.orders.catalog;

import java.util.List;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sysdesign.orders.cache.Caches;

/**
 * The catalog: products with their prices and stock.
 */
@Service
public class Catalog {

	private final ProductRepository products;

	private final CatalogEvents events;

	private final TransactionTemplate reads;

	Catalog(ProductRepository products, CatalogEvents events, PlatformTransactionManager transactions) {
		this.products = products;
		this.events = events;
		this.reads = new TransactionTemplate(transactions);
		this.reads.setReadOnly(true);
	}

	/**
	 * Every product, by sku: from the caches, otherwise read in a read-only transaction
	 * (the replica when it can serve it). The cached list is dropped on every instance
	 * whenever a product's stock changes.
	 * @return the products
	 */
	@Cacheable(cacheNames = Caches.PRODUCTS, key = "'" + Caches.ALL_PRODUCTS + "'", sync = true)
	public List<Product> products() {
		return this.reads.execute((status) -> this.products.findAll());
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
		this.events.stockChanged(List.of(sku));
		return this.products.findBySku(sku).orElseThrow(() -> new ProductNotFoundException(sku));
	}

}
