package dev.sysdesign.session.login;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Service;

import dev.sysdesign.session.account.Account;
import dev.sysdesign.session.account.Accounts;
import dev.sysdesign.session.account.Usernames;

/**
 * Checks a login against the throttle and the account's password. The username is taken
 * in its canonical form ({@link Usernames}) for both, so that no other spelling of a
 * locked-out name gets a budget of its own; the throttle counts the attempt before the
 * password is checked, so that a burst of parallel guesses gets no more than the limit.
 * Metric {@code sessions.logins}: attempts by {@code outcome} ({@code succeeded},
 * {@code failed}, {@code throttled}).
 */
@Service
public class Login {

	private final Accounts accounts;

	private final LoginThrottle throttle;

	private final Counter succeeded;

	private final Counter failed;

	private final Counter throttled;

	Login(Accounts accounts, LoginThrottle throttle, MeterRegistry meters) {
		this.accounts = accounts;
		this.throttle = throttle;
		this.succeeded = logins(meters, "succeeded");
		this.failed = logins(meters, "failed");
		this.throttled = logins(meters, "throttled");
	}

	private static Counter logins(MeterRegistry meters, String outcome) {
		return Counter.builder("sessions.logins")
			.description("Login attempts by outcome")
			.tag("outcome", outcome)
			.register(meters);
	}

	/**
	 * Authenticates a login.
	 * @param username the username sent
	 * @param password the password sent
	 * @param address the client's address
	 * @return the account
	 * @throws TooManyLoginAttemptsException while the username or address is locked out
	 * (checked first: the right password gets it too)
	 * @throws BadCredentialsException for an unknown username or a wrong password, alike
	 */
	public Account authenticate(String username, String password, String address) {
		String name = Usernames.canonical(username);
		try {
			this.throttle.attempt(name, address);
		}
		catch (TooManyLoginAttemptsException ex) {
			this.throttled.increment();
			throw ex;
		}
		Account account = this.accounts.authenticate(name, password).orElse(null);
		if (account == null) {
			this.failed.increment();
			throw new BadCredentialsException();
		}
		this.throttle.succeeded(name, address);
		this.succeeded.increment();
		return account;
	}

}
