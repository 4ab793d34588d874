package dev.sysdesign.session.login;

import java.time.Duration;

/**
 * The login's errors, for tests of other packages (their constructors are
 * package-private: only the login throws them).
 */
public final class LoginProblems {

	private LoginProblems() {
	}

	public static BadCredentialsException badCredentials() {
		return new BadCredentialsException();
	}

	public static TooManyLoginAttemptsException lockedOutFor(Duration duration) {
		return new TooManyLoginAttemptsException(duration);
	}

}
