package dev.sysdesign.session.login;

import java.time.Duration;

/**
 * Logins for this username or from this address are locked out for a while.
 */
public class TooManyLoginAttemptsException extends RuntimeException {

	private final Duration retryAfter;

	TooManyLoginAttemptsException(Duration retryAfter) {
		super("Too many failed logins; retry in " + retryAfter.toSeconds() + " s");
		this.retryAfter = retryAfter;
	}

	/**
	 * How long the lock-out still lasts.
	 * @return the time until logins are accepted again
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
