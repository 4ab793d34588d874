package dev.sysdesign.messaging;

/**
 * A message that can never be processed as it is (not an envelope, unknown type, missing
 * ids): it is dead-lettered at once with this reason, without retries.
 */
public class MalformedMessageException extends RuntimeException {

	public MalformedMessageException(String reason) {
		super(reason);
	}

}
