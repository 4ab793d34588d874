package dev.sysdesign.orders.order;

import java.time.Instant;

/**
 * An order left {@code PENDING}, as every order-service instance learns it from the
 * {@code order.status-changed} fan-out: a local application event for the instance's
 * caches and WebSocket sessions.
 *
 * @param orderId the order
 * @param userId its owner
 * @param status its new status
 * @param updatedAt when it changed
 */
public record OrderStatusChanged(OrderId orderId, long userId, OrderStatus status, Instant updatedAt) {
}
