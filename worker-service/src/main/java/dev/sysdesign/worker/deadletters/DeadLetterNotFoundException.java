package dev.sysdesign.worker.deadletters;

/**
 * No dead letter has the id (404).
 */
public class DeadLetterNotFoundException extends RuntimeException {

	private final long id;

	public DeadLetterNotFoundException(long id) {
		super("No dead letter " + id);
		this.id = id;
	}

	public long id() {
		return this.id;
	}

}
