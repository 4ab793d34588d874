package dev.sysdesign.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The baseline of the order-creation benchmark: a plain JDBC loop doing, per order, the
 * statements order-service's {@code POST /api/orders} runs on the primary — read the
 * product, insert the order and its line, reserve the stock, write the two outbox rows
 * (order.placed, product.changed), commit, read the commit's GTID — with as many threads
 * (connections) as the HTTP load has connections. It prints throughput and p50/p99
 * latency in the same format as the HTTP run.
 * <p>
 * {@code java -cp bench/target/benchmarks.jar dev.sysdesign.bench.OrderInsertBaseline
 * --url jdbc:mariadb://127.0.0.1:3307/orders --threads 16 --seconds 30 --warmup 10}
 */
public final class OrderInsertBaseline {

	private static final String[] SKUS = { "KB-001", "MS-002", "MN-003", "HD-004", "CB-005", "DK-006", "WC-007",
			"LP-008", "SD-009", "RT-010", "MC-011", "LM-012", "CH-013", "DS-014", "PB-015", "HB-016", "MP-017",
			"SP-018", "TB-019", "EB-020" };

	private OrderInsertBaseline() {
	}

	public static void main(String[] args) throws Exception {
		String url = Measurement.option(args, "--url", "jdbc:mariadb://127.0.0.1:3307/orders");
		String user = Measurement.option(args, "--user", "orders");
		String password = Measurement.option(args, "--password", "orders");
		int threads = Integer.parseInt(Measurement.option(args, "--threads", "16"));
		int seconds = Integer.parseInt(Measurement.option(args, "--seconds", "30"));
		int warmup = Integer.parseInt(Measurement.option(args, "--warmup", "10"));
		Measurement.Opener<Connection> open = () -> {
			Connection connection = DriverManager.getConnection(url, user, password);
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
			return connection;
		};
		Measurement.loop(threads, warmup, open, OrderInsertBaseline::placeOrder);
		Measurement result = Measurement.loop(threads, seconds, open, OrderInsertBaseline::placeOrder);
		System.out.printf("baseline jdbc: threads=%d seconds=%d orders=%d throughput=%.1f/s p50=%.2fms p99=%.2fms%n",
				threads, seconds, result.count(), result.count() / (double) seconds, result.percentile(50),
				result.percentile(99));
	}

	private static void placeOrder(Connection connection) throws SQLException {
		String sku = SKUS[ThreadLocalRandom.current().nextInt(SKUS.length)];
		long userId = ThreadLocalRandom.current().nextLong(1, 100_000);
		LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
		String orderId = UUID.randomUUID().toString();
		long price;
		try (PreparedStatement select = connection
			.prepareStatement("SELECT sku, name, unit_price_cents, stock, version FROM product WHERE sku IN (?)")) {
			select.setString(1, sku);
			try (ResultSet rows = select.executeQuery()) {
				rows.next();
				price = rows.getLong("unit_price_cents");
			}
		}
		try (PreparedStatement order = connection.prepareStatement(
				"INSERT INTO purchase_order (id, user_id, status, total_cents, failure_reason, payment_id, created_at, "
						+ "updated_at, version) VALUES (?, ?, 'PENDING', ?, NULL, NULL, ?, ?, 0)")) {
			order.setString(1, orderId);
			order.setLong(2, userId);
			order.setLong(3, price);
			order.setObject(4, now);
			order.setObject(5, now);
			order.executeUpdate();
		}
		try (PreparedStatement line = connection.prepareStatement(
				"INSERT INTO order_item (order_id, line_no, sku, quantity, unit_price_cents) VALUES (?, 0, ?, 1, ?)")) {
			line.setString(1, orderId);
			line.setString(2, sku);
			line.setLong(3, price);
			line.executeUpdate();
		}
		try (PreparedStatement reserve = connection.prepareStatement(
				"UPDATE product SET stock = stock - ?, version = version + 1, updated_at = ? WHERE sku = ? AND stock >= ?")) {
			reserve.setInt(1, 1);
			reserve.setObject(2, now);
			reserve.setString(3, sku);
			reserve.setInt(4, 1);
			reserve.executeUpdate();
		}
		// the outbox rows of order.placed and product.changed (marked sent, so that no
		// relay picks them up)
		try (PreparedStatement outbox = connection.prepareStatement(
				"INSERT INTO outbox (message_id, exchange, routing_key, message_type, payload, traceparent, created_at, "
						+ "attempts, next_attempt_at, sent_at) VALUES (?, 'order-events', 'bench.baseline', "
						+ "'bench.baseline', ?, NULL, ?, 0, ?, ?)")) {
			outbox.setString(1, UUID.randomUUID().toString());
			outbox.setBytes(2,
					("{\"messageId\":\"" + orderId + "\",\"type\":\"order.placed\",\"occurredAt\":\"" + now
							+ "Z\",\"data\":{\"orderId\":\"" + orderId + "\",\"userId\":" + userId
							+ ",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1,\"unitPriceCents\":" + price
							+ "}],\"totalCents\":" + price + "}}")
						.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			outbox.setObject(3, now);
			outbox.setObject(4, now);
			outbox.setObject(5, now);
			outbox.executeUpdate();
			// and of product.changed (the catalog caches' eviction on every instance)
			outbox.setString(1, UUID.randomUUID().toString());
			outbox.setBytes(2,
					("{\"messageId\":\"" + UUID.randomUUID() + "\",\"type\":\"product.changed\",\"occurredAt\":\"" + now
							+ "Z\",\"data\":{\"skus\":[\"" + sku + "\"]}}")
						.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			outbox.executeUpdate();
		}
		connection.commit();
		try (PreparedStatement gtid = connection.prepareStatement("SELECT @@last_gtid");
				ResultSet rows = gtid.executeQuery()) {
			rows.next();
		}
		connection.commit();
	}

}
