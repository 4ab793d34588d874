package dev.sysdesign.session.login;

import java.time.Duration;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * Logins for this username or from this address are locked out for a while.
 */
public class TooManyLoginAttemptsException extends ProblemException {

	/**
	 * Creates the error.
	 * @param lockedFor how long the lock-out still lasts (the client's
	 * {@code Retry-After})
	 */
	TooManyLoginAttemptsException(Duration lockedFor) {
		super(429, ProblemTypes.TOO_MANY_LOGIN_ATTEMPTS, "Too many attempts",
				"Too many failed logins; retry in " + lockedFor.toSeconds() + " s.");
		retryAfter(lockedFor);
	}

}
