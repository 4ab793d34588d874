package dev.sysdesign.worker.orders;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code order_state} table. Every change locks the order's row first (inserting it
 * if the order is new), so that the placement and the cancellation of one order, which
 * arrive on different queues, are processed one after the other.
 */
@Repository
class OrderStateRepository {

	private static final String COLUMNS = "order_id, user_id, total_cents, placed_at, status, reason, payment_id";

	private final JdbcClient jdbc;

	private final Clock clock;

	OrderStateRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Locks an order's row for its placement, creating it {@code PENDING} if new; a row a
	 * cancellation created first gets the placement's amount and time.
	 */
	OrderState lockForPlacement(String orderId, long userId, long totalCents, Instant placedAt) {
		try {
			this.jdbc
				.sql("INSERT INTO order_state (order_id, user_id, total_cents, placed_at, status, updated_at) "
						+ "VALUES (?, ?, ?, ?, 'PENDING', ?)")
				.params(orderId, userId, totalCents, utc(placedAt), now())
				.update();
			return new OrderState(orderId, userId, totalCents, placedAt, OrderState.PENDING, null, null);
		}
		catch (DuplicateKeyException ex) {
			OrderState state = lock(orderId);
			if (state.placedAt() == null) {
				this.jdbc
					.sql("UPDATE order_state SET total_cents = ?, placed_at = ?, updated_at = ? WHERE order_id = ?")
					.params(totalCents, utc(placedAt), now(), orderId)
					.update();
				return new OrderState(orderId, state.userId(), totalCents, placedAt, state.status(), state.reason(),
						state.paymentId());
			}
			return state;
		}
	}

	/**
	 * Locks an order's row for its cancellation, creating it with the final status if the
	 * placement has not arrived yet.
	 * @return the state before the cancellation, or {@code null} when the row was created
	 * (already final)
	 */
	@Nullable OrderState lockForCancellation(String orderId, long userId, String status, @Nullable String reason) {
		try {
			this.jdbc
				.sql("INSERT INTO order_state (order_id, user_id, status, reason, updated_at) VALUES (?, ?, ?, ?, ?)")
				.params(orderId, userId, status, reason, now())
				.update();
			return null;
		}
		catch (DuplicateKeyException ex) {
			return lock(orderId);
		}
	}

	void decide(String orderId, String status, @Nullable String reason, @Nullable String paymentId) {
		this.jdbc
			.sql("UPDATE order_state SET status = ?, reason = ?, payment_id = ?, updated_at = ? WHERE order_id = ?")
			.params(status, reason, paymentId, now(), orderId)
			.update();
	}

	private OrderState lock(String orderId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM order_state WHERE order_id = ? FOR UPDATE")
			.param(orderId)
			.query((rs, n) -> {
				LocalDateTime placedAt = rs.getObject("placed_at", LocalDateTime.class);
				long total = rs.getLong("total_cents");
				return new OrderState(rs.getString("order_id"), rs.getLong("user_id"), rs.wasNull() ? null : total,
						(placedAt != null) ? placedAt.toInstant(ZoneOffset.UTC) : null, rs.getString("status"),
						rs.getString("reason"), rs.getString("payment_id"));
			})
			.single();
	}

	private LocalDateTime now() {
		return utc(this.clock.instant());
	}

	private static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
