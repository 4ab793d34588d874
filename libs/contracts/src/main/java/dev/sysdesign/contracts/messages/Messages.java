package dev.sysdesign.contracts.messages;

import java.util.List;
import java.util.Optional;

/**
 * Every message the services exchange (docs/architecture.md, "Messages").
 */
public final class Messages {

	/** A new order, for worker-service to authorise its payment. */
	public static final MessageType<OrderPlaced> ORDER_PLACED = new MessageType<>("order.placed",
			Exchanges.ORDER_EVENTS, "order.placed", OrderPlaced.class);

	/** An order that will not go ahead, for worker-service to void any payment. */
	public static final MessageType<OrderCancelled> ORDER_CANCELLED = new MessageType<>("order.cancelled",
			Exchanges.ORDER_EVENTS, "order.cancelled", OrderCancelled.class);

	/** An order left {@code PENDING}: fanned out to every order-service instance. */
	public static final MessageType<OrderStatusChanged> ORDER_STATUS_CHANGED = new MessageType<>("order.status-changed",
			Exchanges.ORDER_EVENTS, "order.status-changed", OrderStatusChanged.class);

	/** Products whose stock changed: fanned out to every order-service instance. */
	public static final MessageType<ProductChanged> PRODUCT_CHANGED = new MessageType<>("product.changed",
			Exchanges.ORDER_EVENTS, "product.changed", ProductChanged.class);

	/** worker-service's decision on an order's payment. */
	public static final MessageType<OrderProcessed> ORDER_PROCESSED = new MessageType<>("order.processed",
			Exchanges.WORKER_EVENTS, "order.processed", OrderProcessed.class);

	/** All of them. */
	public static final List<MessageType<?>> ALL = List.of(ORDER_PLACED, ORDER_CANCELLED, ORDER_STATUS_CHANGED,
			PRODUCT_CHANGED, ORDER_PROCESSED);

	private Messages() {
	}

	/**
	 * The message type of a type name.
	 * @param name the envelope's {@code type}
	 * @return the type, or empty when the platform has no such message
	 */
	public static Optional<MessageType<?>> named(String name) {
		return ALL.stream().filter((type) -> type.name().equals(name)).findFirst();
	}

}
