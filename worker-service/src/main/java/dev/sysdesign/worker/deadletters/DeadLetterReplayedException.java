package dev.sysdesign.worker.deadletters;

/**
 * A dead letter cannot be replayed (again) (409).
 */
public class DeadLetterReplayedException extends RuntimeException {

	private final long id;

	private final String why;

	public DeadLetterReplayedException(long id, String why) {
		super("Dead letter " + id + " cannot be replayed: " + why);
		this.id = id;
		this.why = why;
	}

	public long id() {
		return this.id;
	}

	public String why() {
		return this.why;
	}

}
