package dev.sysdesign.orders.idempotency;

/**
 * An {@code Idempotency-Key} was sent again with a different request.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

	public IdempotencyKeyReusedException() {
		super("This Idempotency-Key was used with a different request");
	}

}
