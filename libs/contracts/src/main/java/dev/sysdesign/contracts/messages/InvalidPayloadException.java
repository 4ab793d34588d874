package dev.sysdesign.contracts.messages;

/**
 * A payload that breaks its contract (a missing, ill-typed or out-of-range field). A
 * consumer dead-letters such a message at once, with this message as the reason: no retry
 * can fix it.
 */
public class InvalidPayloadException extends IllegalArgumentException {

	public InvalidPayloadException(String message) {
		super(message);
	}

}
