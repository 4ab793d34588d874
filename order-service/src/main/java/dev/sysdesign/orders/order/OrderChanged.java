package dev.sysdesign.orders.order;

/**
 * An order changed in the current transaction: published locally, so that this instance's
 * caches drop it as soon as the transaction commits (the other instances learn it from
 * the {@code order.status-changed} fan-out).
 *
 * @param orderId the order
 */
public record OrderChanged(OrderId orderId) {
}
