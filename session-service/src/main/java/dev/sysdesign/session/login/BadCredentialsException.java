package dev.sysdesign.session.login;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * The username is unknown or the password wrong; callers cannot tell which.
 */
public class BadCredentialsException extends ProblemException {

	BadCredentialsException() {
		super(401, ProblemTypes.BAD_CREDENTIALS, "Login failed", "Wrong username or password.");
	}

}
