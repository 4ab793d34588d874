package dev.sysdesign.orders.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Products and their stock. Stock changes are single conditional updates, so concurrent
 * orders can never take it below zero.
 */
@Repository
class ProductRepository {

	private static final String COLUMNS = "sku, name, unit_price_cents, stock, version";

	private final JdbcClient jdbc;

	private final Clock clock;

	ProductRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	List<Product> findAll() {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM product ORDER BY sku")
			.query(ProductRepository::product)
			.list();
	}

	Optional<Product> findBySku(String sku) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM product WHERE sku = ?")
			.param(sku)
			.query(ProductRepository::product)
			.optional();
	}

	/**
	 * Finds products by sku.
	 * @param skus the skus
	 * @return the products that exist
	 */
	List<Product> findAllBySku(Collection<String> skus) {
		if (skus.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM product WHERE sku IN (:skus)")
			.param("skus", skus)
			.query(ProductRepository::product)
			.list();
	}

	/**
	 * Takes units out of stock if that many are available.
	 * @param sku the product
	 * @param quantity the units
	 * @return whether they were available (and are now taken)
	 */
	boolean reserve(String sku, int quantity) {
		return this.jdbc
			.sql("UPDATE product SET stock = stock - ?, version = version + 1, updated_at = ? "
					+ "WHERE sku = ? AND stock >= ?")
			.params(quantity, now(), sku, quantity)
			.update() == 1;
	}

	/**
	 * Puts units back into stock.
	 * @param sku the product
	 * @param quantity the units
	 * @return whether the product exists
	 */
	boolean release(String sku, int quantity) {
		return this.jdbc
			.sql("UPDATE product SET stock = stock + ?, version = version + 1, updated_at = ? WHERE sku = ?")
			.params(quantity, now(), sku)
			.update() == 1;
	}

	private static Product product(ResultSet rs, int row) throws SQLException {
		return new Product(rs.getString("sku"), rs.getString("name"), rs.getLong("unit_price_cents"),
				rs.getInt("stock"), rs.getLong("version"));
	}

	private LocalDateTime now() {
		return LocalDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

}
