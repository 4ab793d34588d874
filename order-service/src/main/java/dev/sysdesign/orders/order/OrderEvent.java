package dev.sysdesign.orders.order;

import org.jspecify.annotations.Nullable;

/**
 * What an {@link Order} records as it changes, in the order it happened; the service acts
 * on them after persisting the order ({@code OrderService}: stock given back, messages
 * written to the outbox).
 */
sealed interface OrderEvent {

	/** A new order ({@code order.placed}). */
	record Placed() implements OrderEvent {
	}

	/** Its reserved stock goes back to the catalog. */
	record StockReleased() implements OrderEvent {
	}

	/**
	 * It will not go ahead ({@code order.cancelled}, so that the worker voids any
	 * payment).
	 *
	 * @param reason absent for a cancellation by the owner
	 */
	record Cancelled(@Nullable String reason) implements OrderEvent {
	}

	/** It left {@code PENDING} ({@code order.status-changed}). */
	record StatusChanged() implements OrderEvent {
	}

}
