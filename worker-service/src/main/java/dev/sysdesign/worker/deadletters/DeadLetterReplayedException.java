package dev.sysdesign.worker.deadletters;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * A dead letter cannot be replayed (again) (409).
 */
public class DeadLetterReplayedException extends ProblemException {

	public DeadLetterReplayedException(long id, String why) {
		super(409, ProblemTypes.DEAD_LETTER_REPLAYED, "Dead letter not replayable",
				"Dead letter " + id + " cannot be replayed: " + why + ".");
	}

}
