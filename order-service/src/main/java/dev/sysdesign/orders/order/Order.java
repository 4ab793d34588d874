package dev.sysdesign.orders.order;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An order: the aggregate whose status changes only through the action methods
 * {@link #confirm}, {@link #reject} and {@link #cancel}, each allowed only while the
 * order is {@link OrderStatus#PENDING}.
 */
public final class Order {

	private final OrderId id;

	private final long userId;

	private final List<OrderLine> lines;

	private final long totalCents;

	private final Instant createdAt;

	private OrderStatus status;

	private @Nullable String failureReason;

	private @Nullable String paymentId;

	private Instant updatedAt;

	private final int version;

	private Order(OrderId id, long userId, List<OrderLine> lines, OrderStatus status, @Nullable String failureReason,
			@Nullable String paymentId, Instant createdAt, Instant updatedAt, int version) {
		this.id = id;
		this.userId = userId;
		this.lines = List.copyOf(lines);
		this.totalCents = lines.stream().mapToLong(OrderLine::amountCents).sum();
		this.status = status;
		this.failureReason = failureReason;
		this.paymentId = paymentId;
		this.createdAt = createdAt;
		this.updatedAt = updatedAt;
		this.version = version;
	}

	/**
	 * Places a new order.
	 * @param id its id
	 * @param userId its owner
	 * @param lines its lines, at least one
	 * @param now the time
	 * @return a pending order
	 */
	public static Order place(OrderId id, long userId, List<OrderLine> lines, Instant now) {
		if (lines.isEmpty()) {
			throw new IllegalArgumentException("An order needs at least one line");
		}
		return new Order(id, userId, lines, OrderStatus.PENDING, null, null, now, now, 0);
	}

	static Order restore(OrderId id, long userId, List<OrderLine> lines, OrderStatus status,
			@Nullable String failureReason, @Nullable String paymentId, Instant createdAt, Instant updatedAt,
			int version) {
		return new Order(id, userId, lines, status, failureReason, paymentId, createdAt, updatedAt, version);
	}

	/**
	 * Records a successful payment.
	 * @param paymentId the payment's reference
	 * @param now the time
	 * @throws OrderStateException unless pending
	 */
	public void confirm(String paymentId, Instant now) {
		transition(OrderStatus.CONFIRMED, now);
		this.paymentId = paymentId;
	}

	/**
	 * Rejects the order (payment declined, or pending too long).
	 * @param reason why, shown to the owner
	 * @param now the time
	 * @throws OrderStateException unless pending
	 */
	public void reject(String reason, Instant now) {
		transition(OrderStatus.REJECTED, now);
		this.failureReason = reason;
	}

	/**
	 * Cancels the order at its owner's request.
	 * @param now the time
	 * @throws OrderStateException unless pending
	 */
	public void cancel(Instant now) {
		transition(OrderStatus.CANCELLED, now);
	}

	/**
	 * Whether the order's reserved stock has been given back (rejected or cancelled).
	 * @return whether the order released its stock
	 */
	public boolean releasedStock() {
		return this.status == OrderStatus.REJECTED || this.status == OrderStatus.CANCELLED;
	}

	private void transition(OrderStatus target, Instant now) {
		if (this.status != OrderStatus.PENDING) {
			throw new OrderStateException(this.id, this.status, target);
		}
		this.status = target;
		this.updatedAt = now;
	}

	public OrderId id() {
		return this.id;
	}

	public long userId() {
		return this.userId;
	}

	public List<OrderLine> lines() {
		return this.lines;
	}

	public long totalCents() {
		return this.totalCents;
	}

	public OrderStatus status() {
		return this.status;
	}

	public @Nullable String failureReason() {
		return this.failureReason;
	}

	public @Nullable String paymentId() {
		return this.paymentId;
	}

	public Instant createdAt() {
		return this.createdAt;
	}

	public Instant updatedAt() {
		return this.updatedAt;
	}

	int version() {
		return this.version;
	}

	/**
	 * Whether a user owns this order.
	 * @param userId the user
	 * @return whether it is theirs
	 */
	public boolean isOwnedBy(long userId) {
		return this.userId == userId;
	}

}
