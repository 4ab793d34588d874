package dev.sysdesign.orders.order.web;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;
import dev.sysdesign.contracts.Headers;

/**
 * The {@code Idempotency-Key} header is blank or longer than 255 characters.
 */
public class InvalidIdempotencyKeyException extends ProblemException {

	InvalidIdempotencyKeyException() {
		super(400, ProblemTypes.VALIDATION, "Invalid request", "The request has invalid fields; see errors.");
		invalidField(Headers.IDEMPOTENCY_KEY, "must be 1 to 255 characters");
	}

}
