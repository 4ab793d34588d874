package dev.sysdesign.orders.order;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sysdesign.orders.catalog.CatalogEvents;
import dev.sysdesign.orders.catalog.InsufficientStockException;
import dev.sysdesign.orders.catalog.Product;
import dev.sysdesign.orders.catalog.ProductRepository;
import dev.sysdesign.orders.catalog.UnknownProductException;
import dev.sysdesign.orders.database.ReadYourWrites;
import dev.sysdesign.orders.idempotency.IdempotencyKeyReusedException;
import dev.sysdesign.orders.idempotency.IdempotencyKeys;
import dev.sysdesign.orders.idempotency.IdempotencyProperties;

/**
 * Places and cancels orders. Each change is one transaction on the primary: placing
 * claims the {@code Idempotency-Key} (if any), reserves the stock of every line and
 * writes the order; cancelling releases the stock. Each records the user's commit
 * position for read-your-writes.
 */
@Service
public class OrderService {

	/** The reason of an order rejected for being pending too long. */
	public static final String TIMEOUT_REASON = "timeout";

	private final OrderRepository orders;

	private final ProductRepository products;

	private final IdempotencyKeys keys;

	private final IdempotencyProperties idempotency;

	private final ReadYourWrites readYourWrites;

	private final TransactionTemplate transactions;

	private final OrderEvents events;

	private final CatalogEvents catalogEvents;

	private final Clock clock;

	OrderService(OrderRepository orders, ProductRepository products, IdempotencyKeys keys,
			IdempotencyProperties idempotency, ReadYourWrites readYourWrites, TransactionTemplate transactions,
			OrderEvents events, CatalogEvents catalogEvents, Clock clock) {
		this.orders = orders;
		this.products = products;
		this.keys = keys;
		this.idempotency = idempotency;
		this.readYourWrites = readYourWrites;
		this.transactions = transactions;
		this.events = events;
		this.catalogEvents = catalogEvents;
		this.clock = clock;
	}

	/**
	 * Places an order.
	 * @param userId the customer
	 * @param items the requested lines: distinct skus, quantities 1 to 1000
	 * @param idempotencyKey the client's key for safe retries, or {@code null}
	 * @return the new order, or the one an earlier request with the same key created
	 * @throws UnknownProductException when a sku is not in the catalog (422)
	 * @throws InsufficientStockException when a product lacks stock (409)
	 * @throws IdempotencyKeyReusedException when the key came with another request (422)
	 * @throws dev.sysdesign.orders.idempotency.IdempotencyKeyInFlightException when a
	 * request with the key is still running (409)
	 */
	public Placement place(long userId, List<RequestedItem> items, @Nullable String idempotencyKey) {
		String fingerprint = (idempotencyKey != null) ? RequestFingerprint.of(items) : null;
		for (int attempt = 1;; attempt++) {
			try {
				Order order = this.transactions
					.execute((status) -> placeNow(userId, items, idempotencyKey, fingerprint));
				return new Placement(order, false);
			}
			catch (IdempotencyKeys.KeyTakenException taken) {
				Optional<Placement> replay = this.transactions
					.execute((status) -> replay(userId, idempotencyKey, fingerprint));
				if (replay.isPresent() || attempt >= 3) {
					return replay.orElseThrow(() -> new IllegalStateException("Idempotency-Key vanished thrice"));
				}
			}
		}
	}

	private Order placeNow(long userId, List<RequestedItem> items, @Nullable String key, @Nullable String fingerprint) {
		Instant now = now();
		OrderId id = OrderId.next();
		if (key != null) {
			this.keys.claim(userId, key, fingerprint, id.toString(), now, this.idempotency.ttl());
		}
		Set<String> skus = items.stream().map(RequestedItem::sku).collect(Collectors.toCollection(LinkedHashSet::new));
		Map<String, Product> catalog = this.products.findAllBySku(skus)
			.stream()
			.collect(Collectors.toMap(Product::sku, Function.identity()));
		List<String> unknown = skus.stream().filter((sku) -> !catalog.containsKey(sku)).toList();
		if (!unknown.isEmpty()) {
			throw new UnknownProductException(unknown);
		}
		List<OrderLine> lines = items.stream()
			.map((item) -> new OrderLine(item.sku(), item.quantity(), catalog.get(item.sku()).unitPriceCents()))
			.toList();
		Order order = Order.place(id, userId, lines, now);
		this.orders.insert(order);
		// stock last, so that the product rows stay locked only until the commit; in sku
		// order,
		// so that concurrent orders lock them in the same order (no deadlocks)
		items.stream().sorted(Comparator.comparing(RequestedItem::sku)).forEach((item) -> {
			if (!this.products.reserve(item.sku(), item.quantity())) {
				throw new InsufficientStockException(item.sku());
			}
		});
		this.events.placed(order);
		this.catalogEvents.stockChanged(skus);
		this.readYourWrites.recordAfterCommit(userId);
		return order;
	}

	private Optional<Placement> replay(long userId, String key, String fingerprint) {
		Optional<IdempotencyKeys.StoredKey> stored = this.keys.find(userId, key);
		if (stored.isEmpty()) {
			return Optional.empty();
		}
		if (stored.get().expired(now())) {
			this.keys.deleteIfExpired(userId, key, now());
			return Optional.empty();
		}
		if (!stored.get().requestHash().equals(fingerprint)) {
			throw new IdempotencyKeyReusedException();
		}
		return this.orders.findById(OrderId.of(stored.get().orderId())).map((order) -> new Placement(order, true));
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
		return this.transactions.execute((status) -> {
			Order order = this.orders.findByIdForUpdate(id)
				.filter((candidate) -> candidate.isOwnedBy(userId))
				.orElseThrow(() -> new OrderNotFoundException(id));
			order.cancel(now());
			releaseStock(order);
			this.orders.update(order);
			this.events.cancelled(order, null);
			this.events.statusChanged(order);
			this.readYourWrites.recordAfterCommit(userId);
			return order;
		});
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
		return this.transactions.execute((status) -> {
			Order order = this.orders.findByIdForUpdate(id).orElseThrow(() -> new OrderNotFoundException(id));
			if (order.status() != OrderStatus.PENDING) {
				return order;
			}
			if (outcome == OrderStatus.CONFIRMED) {
				order.confirm((paymentId != null) ? paymentId : "", now());
			}
			else {
				order.reject((reason != null) ? reason : "rejected", now());
				releaseStock(order);
			}
			this.orders.update(order);
			this.events.statusChanged(order);
			this.readYourWrites.recordAfterCommit(order.userId());
			return order;
		});
	}

	/**
	 * Rejects an order with reason {@code timeout} if it is still pending, releasing its
	 * stock and telling the worker (which voids any payment it authorised meanwhile).
	 * @param id the order
	 * @return whether this call rejected it
	 */
	public boolean rejectIfStillPending(OrderId id) {
		Boolean rejected = this.transactions.execute((status) -> {
			Optional<Order> found = this.orders.findByIdForUpdate(id);
			if (found.isEmpty() || found.get().status() != OrderStatus.PENDING) {
				return false;
			}
			Order order = found.get();
			order.reject(TIMEOUT_REASON, now());
			releaseStock(order);
			this.orders.update(order);
			this.events.statusChanged(order);
			this.events.cancelled(order, TIMEOUT_REASON);
			this.readYourWrites.recordAfterCommit(order.userId());
			return true;
		});
		return Boolean.TRUE.equals(rejected);
	}

	private void releaseStock(Order order) {
		order.lines()
			.stream()
			.sorted(Comparator.comparing(OrderLine::sku))
			.forEach((line) -> this.products.release(line.sku(), line.quantity()));
		this.catalogEvents.stockChanged(order.lines().stream().map(OrderLine::sku).toList());
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
