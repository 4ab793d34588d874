package dev.sysdesign.orders.order;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.sysdesign.messaging.Outbox;

/**
 * The events of the order-service, written to the outbox in the transaction of the change
 * they report (exchange {@value #EXCHANGE}; payloads as in the architecture's message
 * table).
 */
@Component
public class OrderEvents {

	/** The exchange of order events. */
	public static final String EXCHANGE = "order-events";

	/** A new order, for the worker to authorise its payment. */
	public static final String PLACED = "order.placed";

	/** An order cancelled by its owner, or rejected for being pending too long. */
	public static final String CANCELLED = "order.cancelled";

	/** An order left {@code PENDING}: fanned out to every order-service instance. */
	public static final String STATUS_CHANGED = "order.status-changed";

	private final Outbox outbox;

	private final ApplicationEventPublisher local;

	OrderEvents(Outbox outbox, ApplicationEventPublisher local) {
		this.outbox = outbox;
		this.local = local;
	}

	void placed(Order order) {
		List<Item> items = order.lines()
			.stream()
			.map((line) -> new Item(line.sku(), line.quantity(), line.unitPriceCents()))
			.toList();
		this.outbox.append(EXCHANGE, PLACED, PLACED,
				new Placed(order.id().toString(), order.userId(), items, order.totalCents()));
	}

	/**
	 * An order that will not go ahead: cancelled by its owner, or (with a reason)
	 * rejected by order-service itself, so that the worker voids any payment.
	 */
	void cancelled(Order order, @Nullable String reason) {
		this.outbox.append(EXCHANGE, CANCELLED, CANCELLED,
				new Cancelled(order.id().toString(), order.userId(), reason));
	}

	void statusChanged(Order order) {
		this.outbox.append(EXCHANGE, STATUS_CHANGED, STATUS_CHANGED,
				new StatusChanged(order.id().toString(), order.userId(), order.status(), order.updatedAt()));
		this.local.publishEvent(new OrderChanged(order.id()));
	}

	/**
	 * {@code order.placed}.
	 *
	 * @param orderId the order
	 * @param userId its owner
	 * @param items its lines
	 * @param totalCents the amount to authorise
	 */
	public record Placed(String orderId, long userId, List<Item> items, long totalCents) {
	}

	/**
	 * A line of {@code order.placed}.
	 *
	 * @param sku the product
	 * @param quantity the units
	 * @param unitPriceCents the price of one unit
	 */
	public record Item(String sku, int quantity, long unitPriceCents) {
	}

	/**
	 * {@code order.cancelled}.
	 *
	 * @param orderId the order
	 * @param userId its owner
	 * @param reason absent for a cancellation by the owner; {@code timeout} when
	 * order-service rejected the order for being pending too long
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Cancelled(String orderId, long userId, @Nullable String reason) {
	}

	/**
	 * {@code order.status-changed}.
	 *
	 * @param orderId the order
	 * @param userId its owner
	 * @param status the new status
	 * @param updatedAt when it changed
	 */
	public record StatusChanged(String orderId, long userId, OrderStatus status, Instant updatedAt) {
	}

}
