package dev.sysdesign.worker.deadletters;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * No dead letter has the id (404).
 */
public class DeadLetterNotFoundException extends ProblemException {

	public DeadLetterNotFoundException(long id) {
		super(404, ProblemTypes.NOT_FOUND, "Not found", "There is no dead letter " + id + ".");
	}

}
