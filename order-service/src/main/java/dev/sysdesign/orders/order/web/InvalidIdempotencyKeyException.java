package dev.sysdesign.orders.order.web;

/**
 * The {@code Idempotency-Key} header is blank or longer than 255 characters.
 */
public class InvalidIdempotencyKeyException extends RuntimeException {

	InvalidIdempotencyKeyException() {
		super("Idempotency-Key must be 1 to 255 characters");
	}

}
