package dev.sysdesign.orders.order;

/**
 * Where an order is in its life: {@code PENDING → CONFIRMED | REJECTED | CANCELLED}, no
 * other transitions.
 */
public enum OrderStatus {

	/** Accepted, stock reserved, payment not yet decided. */
	PENDING,
	/** Paid. */
	CONFIRMED,
	/** Payment declined or timed out; stock released. */
	REJECTED,
	/** Cancelled by its owner while pending; stock released. */
	CANCELLED

}
