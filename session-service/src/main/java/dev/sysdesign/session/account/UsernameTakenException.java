package dev.sysdesign.session.account;

/**
 * Another account already has the username.
 */
public class UsernameTakenException extends RuntimeException {

	public UsernameTakenException(String username) {
		super("The username " + username + " is taken");
	}

}
