package dev.sysdesign.orders.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

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
	@Cacheable(cacheNames = CatalogCaches.PRODUCTS, key = "'" + CatalogCaches.ALL_PRODUCTS + "'", sync = true)
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

	/**
	 * The products of some skus, in the caller's transaction.
	 * @param skus the products
	 * @return each product by sku
	 * @throws UnknownProductException when a sku is not in the catalog
	 */
	public Map<String, Product> find(Collection<String> skus) {
		Map<String, Product> found = this.products.findAllBySku(skus)
			.stream()
			.collect(Collectors.toMap(Product::sku, Function.identity()));
		List<String> unknown = skus.stream().filter((sku) -> !found.containsKey(sku)).toList();
		if (!unknown.isEmpty()) {
			throw new UnknownProductException(unknown);
		}
		return found;
	}

	/**
	 * Takes units out of stock, in the caller's transaction, and reports the change. In
	 * sku order, so that concurrent callers lock the product rows in the same order (no
	 * deadlocks); call it last in the transaction, so that the rows stay locked only
	 * until the commit.
	 * @param quantities the units per sku
	 * @throws InsufficientStockException when a product lacks stock (the caller's
	 * transaction must roll back)
	 */
	public void reserve(Map<String, Integer> quantities) {
		new TreeMap<>(quantities).forEach((sku, quantity) -> {
			if (!this.products.reserve(sku, quantity)) {
				throw new InsufficientStockException(sku);
			}
		});
		this.events.stockChanged(quantities.keySet());
	}

	/**
	 * Gives units back to stock, in the caller's transaction (sku order), and reports the
	 * change.
	 * @param quantities the units per sku
	 */
	public void release(Map<String, Integer> quantities) {
		new TreeMap<>(quantities).forEach(this.products::release);
		this.events.stockChanged(quantities.keySet());
	}

}
