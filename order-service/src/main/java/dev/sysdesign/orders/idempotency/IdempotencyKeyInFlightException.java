package dev.sysdesign.orders.idempotency;

/**
 * Another request with the same {@code Idempotency-Key} is still being processed.
 */
public class IdempotencyKeyInFlightException extends RuntimeException {

	public IdempotencyKeyInFlightException() {
		super("A request with this Idempotency-Key is still in progress");
	}

}
