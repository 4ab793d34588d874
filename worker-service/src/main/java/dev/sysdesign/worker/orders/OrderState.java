package dev.sysdesign.worker.orders;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the worker knows of an order.
 *
 * @param orderId the order
 * @param userId its owner
 * @param totalCents the amount to authorise, once the placement arrived
 * @param placedAt when it was placed, once the placement arrived
 * @param status {@code PENDING} (placed, undecided), {@code CONFIRMED}, {@code REJECTED}
 * or {@code CANCELLED}
 * @param reason why it was rejected or cancelled
 * @param paymentId the authorisation granted for it
 */
record OrderState(String orderId, long userId, @Nullable Long totalCents, @Nullable Instant placedAt, String status,
		@Nullable String reason, @Nullable String paymentId) {

	static final String PENDING = "PENDING";

	static final String CONFIRMED = "CONFIRMED";

	static final String REJECTED = "REJECTED";

	static final String CANCELLED = "CANCELLED";

	boolean decided() {
		return !PENDING.equals(this.status);
	}

}
