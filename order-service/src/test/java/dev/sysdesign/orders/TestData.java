package dev.sysdesign.orders;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Data the tests create for themselves, so they do not depend on each other or on the
 * seed catalog's stock.
 */
public final class TestData {

	private static final AtomicLong users = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L * 1000);

	private TestData() {
	}

	/**
	 * A user id no other test uses.
	 * @return the id
	 */
	public static long newUser() {
		return users.incrementAndGet();
	}

	/**
	 * Adds a product.
	 * @param jdbc a client on the primary
	 * @param stock its stock
	 * @param priceCents its unit price
	 * @return its sku
	 */
	public static String newProduct(JdbcClient jdbc, int stock, long priceCents) {
		String sku = "T-" + UUID.randomUUID().toString().substring(0, 18);
		jdbc.sql(
				"INSERT INTO product (sku, name, unit_price_cents, stock, version, updated_at) VALUES (?, ?, ?, ?, 0, ?)")
			.params(sku, "Test product " + sku, priceCents, stock, LocalDateTime.now(ZoneOffset.UTC))
			.update();
		return sku;
	}

	/**
	 * Reads a product's stock on the primary.
	 * @param jdbc a client on the primary
	 * @param sku the product
	 * @return its stock
	 */
	public static int stock(JdbcClient jdbc, String sku) {
		return jdbc.sql("SELECT stock FROM product WHERE sku = ?").param(sku).query(Integer.class).single();
	}

	/**
	 * An order body with one line.
	 * @param sku the product
	 * @param quantity the units
	 * @return the JSON body
	 */
	public static String orderOf(String sku, int quantity) {
		return "{\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]}";
	}

	/**
	 * Places an order over HTTP and expects 202.
	 * @param client a client of the service
	 * @param user the customer
	 * @param sku the product
	 * @param quantity the units
	 * @return the new order's id
	 */
	@SuppressWarnings("unchecked")
	public static String placeOrder(RestTestClient client, long user, String sku, int quantity) {
		Map<String, Object> order = client.post()
			.uri("/api/orders")
			.header("X-User-Id", Long.toString(user))
			.contentType(MediaType.APPLICATION_JSON)
			.body(orderOf(sku, quantity))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (String) order.get("id");
	}

	/**
	 * Cancels an order over HTTP as its owner and expects 200.
	 * @param client a client of the service
	 * @param user the owner
	 * @param id the order
	 */
	public static void cancelOrder(RestTestClient client, long user, String id) {
		client.post()
			.uri("/api/orders/" + id + "/cancel")
			.header("X-User-Id", Long.toString(user))
			.exchange()
			.expectStatus()
			.isOk();
	}

}
