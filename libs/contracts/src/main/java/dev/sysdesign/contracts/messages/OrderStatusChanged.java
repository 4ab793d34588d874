package dev.sysdesign.contracts.messages;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * {@code order.status-changed}: an order left {@code PENDING} (confirmed, rejected,
 * cancelled); every order-service instance drops it from its caches and pushes the new
 * status to its owner's live connections.
 *
 * @param orderId the order, a UUID
 * @param userId its owner
 * @param status the new status: {@code CONFIRMED}, {@code REJECTED} or {@code CANCELLED}
 * @param updatedAt when it changed
 */
public record OrderStatusChanged(String orderId, long userId, String status, Instant updatedAt) {

	/** The statuses an order can leave {@code PENDING} for. */
	public static final java.util.Set<String> FINAL_STATUSES = java.util.Set.of("CONFIRMED", "REJECTED", "CANCELLED");

	public OrderStatusChanged(@Nullable String orderId, long userId, @Nullable String status,
			@Nullable Instant updatedAt) {
		this.orderId = Fields.uuid(orderId, "orderId");
		this.userId = Fields.positive(userId, "userId");
		if (status == null || !FINAL_STATUSES.contains(status)) {
			throw new InvalidPayloadException("status must be one of " + FINAL_STATUSES + ", not " + status);
		}
		this.status = status;
		this.updatedAt = Fields.required(updatedAt, "updatedAt");
	}

}
