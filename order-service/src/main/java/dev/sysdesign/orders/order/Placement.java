package dev.sysdesign.orders.order;

/**
 * The outcome of placing an order.
 *
 * @param order the order, in its current state
 * @param replayed whether it was created by an earlier request with the same
 * {@code Idempotency-Key}
 */
public record Placement(Order order, boolean replayed) {
}
