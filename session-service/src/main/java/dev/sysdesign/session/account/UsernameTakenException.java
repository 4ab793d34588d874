package dev.sysdesign.session.account;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * Another account already has the username.
 */
public class UsernameTakenException extends ProblemException {

	public UsernameTakenException(String username) {
		super(409, ProblemTypes.USERNAME_TAKEN, "Username taken", "Another account has this username.");
	}

}
