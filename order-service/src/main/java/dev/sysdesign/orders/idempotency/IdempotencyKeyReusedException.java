package dev.sysdesign.orders.idempotency;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * An {@code Idempotency-Key} was sent again with a different request.
 */
public class IdempotencyKeyReusedException extends ProblemException {

	public IdempotencyKeyReusedException() {
		super(422, ProblemTypes.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key reused",
				"This Idempotency-Key was used with a different request body.");
	}

}
