package dev.sysdesign.session.login;

import org.springframework.stereotype.Service;

import dev.sysdesign.session.account.Account;
import dev.sysdesign.session.account.Accounts;

/**
 * Checks a login against the throttle and the account's password.
 */
@Service
public class Login {

	private final Accounts accounts;

	private final LoginThrottle throttle;

	Login(Accounts accounts, LoginThrottle throttle) {
		this.accounts = accounts;
		this.throttle = throttle;
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
		this.throttle.check(username, address);
		Account account = this.accounts.authenticate(username, password).orElse(null);
		if (account == null) {
			this.throttle.recordFailure(username, address);
			throw new BadCredentialsException();
		}
		this.throttle.recordSuccess(username);
		return account;
	}

}
