package dev.sysdesign.messaging;

/**
 * A failure that may pass (a dependency unavailable, a timeout): the message is retried
 * through the retry tiers, then dead-lettered.
 */
public class TransientFailureException extends RuntimeException {

	public TransientFailureException(String message) {
		super(message);
	}

	public TransientFailureException(String message, Throwable cause) {
		super(message, cause);
	}

}
