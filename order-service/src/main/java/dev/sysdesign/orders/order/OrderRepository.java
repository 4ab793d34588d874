package dev.sysdesign.orders.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores {@link Order} aggregates: the order row and its lines, written and read
 * together.
 */
@Repository
class OrderRepository {

	private static final String COLUMNS = "id, user_id, status, total_cents, failure_reason, payment_id, created_at, "
			+ "updated_at, version";

	private final JdbcClient jdbc;

	OrderRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Order order) {
		this.jdbc.sql("INSERT INTO purchase_order (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(order.id().toString(), order.userId(), order.status().name(), order.totalCents(),
					order.failureReason(), order.paymentId(), utc(order.createdAt()), utc(order.updatedAt()),
					order.version())
			.update();
		StringBuilder sql = new StringBuilder(
				"INSERT INTO order_item (order_id, line_no, sku, quantity, unit_price_cents) VALUES ");
		List<Object> parameters = new ArrayList<>();
		List<OrderLine> lines = order.lines();
		for (int i = 0; i < lines.size(); i++) {
			sql.append((i == 0) ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
			OrderLine line = lines.get(i);
			parameters.addAll(List.of(order.id().toString(), i, line.sku(), line.quantity(), line.unitPriceCents()));
		}
		this.jdbc.sql(sql.toString()).params(parameters).update();
	}

	/**
	 * Writes a changed order, if nobody changed it since it was read.
	 * @param order the order
	 * @throws OptimisticLockingFailureException when it changed meanwhile
	 */
	void update(Order order) {
		int updated = this.jdbc
			.sql("UPDATE purchase_order SET status = ?, failure_reason = ?, payment_id = ?, updated_at = ?, "
					+ "version = version + 1 WHERE id = ? AND version = ?")
			.params(order.status().name(), order.failureReason(), order.paymentId(), utc(order.updatedAt()),
					order.id().toString(), order.version())
			.update();
		if (updated != 1) {
			throw new OptimisticLockingFailureException("Order " + order.id() + " changed concurrently");
		}
	}

	Optional<Order> findById(OrderId id) {
		return find("SELECT " + COLUMNS + " FROM purchase_order WHERE id = ?", id);
	}

	/**
	 * Reads an order and locks it until the transaction ends.
	 * @param id the order
	 * @return the order
	 */
	Optional<Order> findByIdForUpdate(OrderId id) {
		return find("SELECT " + COLUMNS + " FROM purchase_order WHERE id = ? FOR UPDATE", id);
	}

	private Optional<Order> find(String sql, OrderId id) {
		List<Row> rows = this.jdbc.sql(sql).param(id.toString()).query(OrderRepository::row).list();
		if (rows.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(rows.get(0).toOrder(lines(List.of(id.toString())).getOrDefault(id.toString(), List.of())));
	}

	/**
	 * Orders still pending that were placed before a time, oldest first.
	 * @param before the time
	 * @param limit at most this many
	 * @return their ids
	 */
	List<OrderId> findPendingPlacedBefore(Instant before, int limit) {
		return this.jdbc.sql(
				"SELECT id FROM purchase_order WHERE status = 'PENDING' AND created_at < ? ORDER BY created_at LIMIT ?")
			.params(utc(before), limit)
			.query((rs, n) -> OrderId.of(rs.getString("id")))
			.list();
	}

	OrderPage findByUser(long userId, @Nullable OrderStatus status, int page, int size) {
		String filter = (status != null) ? " AND status = :status" : "";
		long total = this.jdbc.sql("SELECT COUNT(*) FROM purchase_order WHERE user_id = :user" + filter)
			.param("user", userId)
			.param("status", (status != null) ? status.name() : null)
			.query(Long.class)
			.single();
		if (total == 0 || (long) page * size >= total) {
			return new OrderPage(List.of(), page, size, total);
		}
		List<Row> rows = this.jdbc
			.sql("SELECT " + COLUMNS + " FROM purchase_order WHERE user_id = :user" + filter
					+ " ORDER BY created_at DESC, id DESC LIMIT :size OFFSET :offset")
			.param("user", userId)
			.param("status", (status != null) ? status.name() : null)
			.param("size", size)
			.param("offset", (long) page * size)
			.query(OrderRepository::row)
			.list();
		Map<String, List<OrderLine>> lines = lines(rows.stream().map(Row::id).toList());
		List<Order> orders = rows.stream().map((row) -> row.toOrder(lines.getOrDefault(row.id(), List.of()))).toList();
		return new OrderPage(orders, page, size, total);
	}

	private Map<String, List<OrderLine>> lines(Collection<String> orderIds) {
		Map<String, List<OrderLine>> lines = new LinkedHashMap<>();
		this.jdbc
			.sql("SELECT order_id, sku, quantity, unit_price_cents FROM order_item WHERE order_id IN (:ids) "
					+ "ORDER BY order_id, line_no")
			.param("ids", orderIds)
			.query((rs, n) -> {
				lines.computeIfAbsent(rs.getString("order_id"), (key) -> new ArrayList<>())
					.add(new OrderLine(rs.getString("sku"), rs.getInt("quantity"), rs.getLong("unit_price_cents")));
				return null;
			})
			.list();
		return lines;
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		return new Row(rs.getString("id"), rs.getLong("user_id"), OrderStatus.valueOf(rs.getString("status")),
				rs.getString("failure_reason"), rs.getString("payment_id"), instant(rs, "created_at"),
				instant(rs, "updated_at"), rs.getInt("version"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
	}

	private static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private record Row(String id, long userId, OrderStatus status, @Nullable String failureReason,
			@Nullable String paymentId, Instant createdAt, Instant updatedAt, int version) {

		Order toOrder(List<OrderLine> lines) {
			return Order.restore(OrderId.of(this.id), this.userId, lines, this.status, this.failureReason,
					this.paymentId, this.createdAt, this.updatedAt, this.version);
		}

	}

}
