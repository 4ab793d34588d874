package dev.sysdesign.orders.order;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An order: the aggregate whose status changes only through the action methods
 * {@link #confirm}, {@link #reject}, {@link #expire} and {@link #cancel}, each allowed
 * only while the order is {@link OrderStatus#PENDING}. Each records what it means for the
 * rest of the system ({@link OrderEvent}), which the service acts on once the order is
 * persisted ({@link #takeEvents()}).
 */
public final class Order {

	/** The reason of an order rejected for being pending too long. */
	public static final String TIMEOUT_REASON = "timeout";

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

	private final List<OrderEvent> events = new ArrayList<>();

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
		Order order = new Order(id, userId, lines, OrderStatus.PENDING, null, null, now, now, 0);
		order.events.add(new OrderEvent.Placed());
		return order;
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
		this.events.add(new OrderEvent.StatusChanged());
	}

	/**
	 * Rejects the order because its payment was declined; its stock goes back.
	 * @param reason why, shown to the owner
	 * @param now the time
	 * @throws OrderStateException unless pending
	 */
	public void reject(String reason, Instant now) {
		transition(OrderStatus.REJECTED, now);
		this.failureReason = reason;
		this.events.add(new OrderEvent.StockReleased());
		this.events.add(new OrderEvent.StatusChanged());
	}

	/**
	 * Rejects the order for being pending too long (reason {@value #TIMEOUT_REASON}); its
	 * stock goes back and the worker is told, so that it voids any payment it authorised
	 * meanwhile.
	 * @param now the time
	 * @throws OrderStateException unless pending
	 */
	public void expire(Instant now) {
		transition(OrderStatus.REJECTED, now);
		this.failureReason = TIMEOUT_REASON;
		this.events.add(new OrderEvent.StockReleased());
		this.events.add(new OrderEvent.StatusChanged());
		this.events.add(new OrderEvent.Cancelled(TIMEOUT_REASON));
	}

	/**
	 * Cancels the order at its owner's request; its stock goes back.
	 * @param now the time
	 * @throws OrderStateException unless pending
	 */
	public void cancel(Instant now) {
		transition(OrderStatus.CANCELLED, now);
		this.events.add(new OrderEvent.StockReleased());
		this.events.add(new OrderEvent.Cancelled(null));
		this.events.add(new OrderEvent.StatusChanged());
	}

	/**
	 * The events recorded since the last call, oldest first.
	 * @return the events, now forgotten by the order
	 */
	List<OrderEvent> takeEvents() {
		List<OrderEvent> taken = List.copyOf(this.events);
		this.events.clear();
		return taken;
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
