package dev.sysdesign.orders.order;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sysdesign.orders.catalog.Catalog;
import dev.sysdesign.orders.catalog.Product;
import dev.sysdesign.orders.database.ReadYourWrites;
import dev.sysdesign.orders.idempotency.IdempotentCreation;

/**
 * Places and changes orders, each change one transaction on the primary. Every change of
 * an existing order runs the same steps ({@link #change}): lock the order's row, let the
 * aggregate act (it records what the change means, {@link OrderEvent}), persist it, then
 * act on its events (stock back to the {@link Catalog}, messages to the outbox) and
 * record the user's commit position for read-your-writes. Placing claims the
 * {@code Idempotency-Key} first ({@link IdempotentCreation}).
 */
@Service
public class OrderService {

	private final OrderRepository orders;

	private final Catalog catalog;

	private final IdempotentCreation idempotency;

	private final ReadYourWrites readYourWrites;

	private final TransactionTemplate transactions;

	private final OrderEvents events;

	private final Clock clock;

	OrderService(OrderRepository orders, Catalog catalog, IdempotentCreation idempotency, ReadYourWrites readYourWrites,
			TransactionTemplate transactions, OrderEvents events, Clock clock) {
		this.orders = orders;
		this.catalog = catalog;
		this.idempotency = idempotency;
		this.readYourWrites = readYourWrites;
		this.transactions = transactions;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Places an order.
	 * @param userId the customer
	 * @param items the requested lines: distinct skus, quantities 1 to 1000
	 * @param idempotencyKey the client's key for safe retries, or {@code null}
	 * @return the new order, or the one an earlier request with the same key created
	 * @throws dev.sysdesign.orders.catalog.UnknownProductException when a sku is not in
	 * the catalog (422)
	 * @throws dev.sysdesign.orders.catalog.InsufficientStockException when a product
	 * lacks stock (409)
	 * @throws dev.sysdesign.orders.idempotency.IdempotencyKeyReusedException when the key
	 * came with another request (422)
	 * @throws dev.sysdesign.orders.idempotency.IdempotencyKeyInFlightException when a
	 * request with the key is still running (409)
	 */
	public Order place(long userId, List<RequestedItem> items, @Nullable String idempotencyKey) {
		OrderId id = OrderId.next();
		return this.idempotency.create(userId, idempotencyKey, () -> RequestFingerprint.of(items), id.toString(),
				() -> placeNow(id, userId, items), (stored) -> this.orders.findById(OrderId.of(stored)));
	}

	private Order placeNow(OrderId id, long userId, List<RequestedItem> items) {
		Map<String, Product> products = this.catalog.find(items.stream().map(RequestedItem::sku).toList());
		List<OrderLine> lines = items.stream()
			.map((item) -> new OrderLine(item.sku(), item.quantity(), products.get(item.sku()).unitPriceCents()))
			.toList();
		Order order = Order.place(id, userId, lines, now());
		this.orders.insert(order);
		// stock last, so that the product rows stay locked only until the commit
		this.catalog.reserve(quantities(order));
		publish(order);
		return order;
	}

	/**
	 * Cancels a pending order of its owner and releases its stock.
	 * @param userId the caller
	 * @param id the order
	 * @return the cancelled order
	 * @throws OrderNotFoundException when the caller has no such order (404)
	 * @throws OrderStateException when the order is no longer pending (409)
	 */
	public Order cancel(long userId, OrderId id) {
		return change(id, (order) -> {
			if (!order.isOwnedBy(userId)) {
				throw new OrderNotFoundException(id);
			}
			order.cancel(now());
			return true;
		}).orElseThrow(() -> new OrderNotFoundException(id));
	}

	/**
	 * Applies the worker's result to a pending order: {@code CONFIRMED} records the
	 * payment, {@code REJECTED} releases the stock. A result for an order that is no
	 * longer pending (cancelled by its owner, or timed out) changes nothing. Runs in the
	 * caller's transaction (the consumer's, with its inbox record) or a new one.
	 * @param id the order
	 * @param outcome {@link OrderStatus#CONFIRMED} or {@link OrderStatus#REJECTED}
	 * @param reason why it was rejected, or {@code null}
	 * @param paymentId the payment of a confirmed order
	 * @return the order as it is now
	 * @throws OrderNotFoundException when there is no such order
	 */
	public Order applyOutcome(OrderId id, OrderStatus outcome, @Nullable String reason, @Nullable String paymentId) {
		if (outcome != OrderStatus.CONFIRMED && outcome != OrderStatus.REJECTED) {
			throw new IllegalArgumentException("not an outcome: " + outcome);
		}
		return change(id, (order) -> {
			if (order.status() != OrderStatus.PENDING) {
				return false;
			}
			if (outcome == OrderStatus.CONFIRMED) {
				order.confirm((paymentId != null) ? paymentId : "", now());
			}
			else {
				order.reject((reason != null) ? reason : "rejected", now());
			}
			return true;
		}).orElseThrow(() -> new OrderNotFoundException(id));
	}

	/**
	 * Rejects an order with reason {@value Order#TIMEOUT_REASON} if it is still pending,
	 * releasing its stock and telling the worker (which voids any payment it authorised
	 * meanwhile).
	 * @param id the order
	 * @return whether this call rejected it
	 */
	public boolean rejectIfStillPending(OrderId id) {
		AtomicBoolean expired = new AtomicBoolean();
		change(id, (order) -> {
			if (order.status() != OrderStatus.PENDING) {
				return false;
			}
			order.expire(now());
			expired.set(true);
			return true;
		});
		return expired.get();
	}

	/**
	 * The one path of every change to an existing order, in one transaction: lock its
	 * row, act, and when the action changed it, persist it and act on what it recorded.
	 * @param id the order
	 * @param action the change; answers whether it changed the order
	 * @return the order as it is now, or empty when there is no such order
	 */
	private Optional<Order> change(OrderId id, Predicate<Order> action) {
		return this.transactions.execute((status) -> {
			Optional<Order> locked = this.orders.findByIdForUpdate(id);
			if (locked.isPresent() && action.test(locked.get())) {
				this.orders.update(locked.get());
				publish(locked.get());
			}
			return locked;
		});
	}

	/** Acts on what the order recorded: stock back to the catalog, messages out. */
	private void publish(Order order) {
		for (OrderEvent event : order.takeEvents()) {
			if (event instanceof OrderEvent.StockReleased) {
				this.catalog.release(quantities(order));
			}
			else {
				this.events.publish(order, event);
			}
		}
		this.readYourWrites.recordAfterCommit(order.userId());
	}

	private static Map<String, Integer> quantities(Order order) {
		return order.lines().stream().collect(Collectors.toMap(OrderLine::sku, OrderLine::quantity, Integer::sum));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
