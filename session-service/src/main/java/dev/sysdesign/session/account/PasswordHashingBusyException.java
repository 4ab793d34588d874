package dev.sysdesign.session.account;

import java.time.Duration;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * Every password-hashing slot is busy and the queue in front of them is full, or a
 * request waited longer than allowed: the login or registration is refused (503 with
 * {@code Retry-After}) rather than hashed after its client gave up.
 */
public class PasswordHashingBusyException extends ProblemException {

	PasswordHashingBusyException() {
		super(503, ProblemTypes.UNAVAILABLE, "Service unavailable",
				"Too many logins are being checked right now; retry shortly.");
		retryAfter(Duration.ofSeconds(1));
	}

}
