package dev.sysdesign.orders.idempotency;

import java.time.Duration;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * Another request with the same {@code Idempotency-Key} is still being processed.
 */
public class IdempotencyKeyInFlightException extends ProblemException {

	public IdempotencyKeyInFlightException() {
		super(409, ProblemTypes.IDEMPOTENCY_KEY_IN_FLIGHT, "Request in progress",
				"A request with this Idempotency-Key is still being processed; retry shortly.");
		retryAfter(Duration.ofSeconds(1));
	}

}
