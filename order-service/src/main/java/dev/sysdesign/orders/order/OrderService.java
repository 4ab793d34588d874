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

	private final OrderRepository orders;

	private final ProductRepository products;

	private final IdempotencyKeys keys;

	private final IdempotencyProperties idempotency;

	private final ReadYourWrites readYourWrites;

	private final TransactionTemplate transactions;

	private final Clock clock;

	OrderService(OrderRepository orders, ProductRepository products, IdempotencyKeys keys,
			IdempotencyProperties idempotency, ReadYourWrites readYourWrites, TransactionTemplate transactions,
			Clock clock) {
		this.orders = orders;
		this.products = products;
		this.keys = keys;
		this.idempotency = idempotency;
		this.readYourWrites = readYourWrites;
		this.transactions = transactions;
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
			this.readYourWrites.recordAfterCommit(userId);
			return order;
		});
	}

	private void releaseStock(Order order) {
		order.lines()
			.stream()
			.sorted(Comparator.comparing(OrderLine::sku))
			.forEach((line) -> this.products.release(line.sku(), line.quantity()));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
