package dev.sysdesign.orders.order;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An order's state as the shared cache level stores it.
 *
 * @param id the order
 * @param userId its owner
 * @param lines its lines
 * @param status its status
 * @param failureReason why it was rejected
 * @param paymentId its payment
 * @param createdAt when it was placed
 * @param updatedAt when it last changed
 * @param version its version
 */
public record OrderSnapshot(String id, long userId, List<OrderLine> lines, OrderStatus status,
		@Nullable String failureReason, @Nullable String paymentId, Instant createdAt, Instant updatedAt, int version) {

	/**
	 * The snapshot of an order.
	 * @param order the order
	 * @return its snapshot
	 */
	public static OrderSnapshot of(Order order) {
		return new OrderSnapshot(order.id().toString(), order.userId(), order.lines(), order.status(),
				order.failureReason(), order.paymentId(), order.createdAt(), order.updatedAt(), order.version());
	}

	/**
	 * The order this snapshot describes.
	 * @return the order
	 */
	public Order toOrder() {
		return Order.restore(OrderId.of(this.id), this.userId, this.lines, this.status, this.failureReason,
				this.paymentId, this.createdAt, this.updatedAt, this.version);
	}

}
