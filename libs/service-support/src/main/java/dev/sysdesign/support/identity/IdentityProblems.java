package dev.sysdesign.support.identity;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.sysdesign.contracts.problems.ProblemTypes;

/**
 * The 401 and 403 answers of services that trust the gateway's identity headers.
 */
public final class IdentityProblems {

	private IdentityProblems() {
	}

	/**
	 * The caller is not authenticated (no valid identity headers).
	 * @return the exception to throw
	 */
	public static ErrorResponseException unauthenticated() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
				"Log in first: this call needs an authenticated session.");
		problem.setType(ProblemTypes.UNAUTHENTICATED);
		problem.setTitle("Not authenticated");
		return new ErrorResponseException(HttpStatus.UNAUTHORIZED, problem, null);
	}

	/**
	 * The caller lacks a role.
	 * @param role the missing role
	 * @return the exception to throw
	 */
	public static ErrorResponseException forbidden(String role) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
				"This call needs the role " + role + ".");
		problem.setType(ProblemTypes.FORBIDDEN);
		problem.setTitle("Forbidden");
		return new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
	}

}
