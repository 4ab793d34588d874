package dev.sysdesign.session.login;

/**
 * The username is unknown or the password wrong; callers cannot tell which.
 */
public class BadCredentialsException extends RuntimeException {

	BadCredentialsException() {
		super("Wrong username or password");
	}

}
