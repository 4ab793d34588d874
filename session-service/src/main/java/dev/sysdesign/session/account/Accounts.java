package dev.sysdesign.session.account;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * Registers accounts and checks their passwords.
 */
@Service
public class Accounts {

	private final AccountRepository repository;

	private final PasswordHashing passwords;

	private final Clock clock;

	Accounts(AccountRepository repository, PasswordHashing passwords, Clock clock) {
		this.repository = repository;
		this.passwords = passwords;
		this.clock = clock;
	}

	/**
	 * Registers an account with the role {@code USER}.
	 * @param username a valid, lowercase username
	 * @param password a valid password
	 * @return the account
	 * @throws UsernameTakenException when the name exists
	 */
	public Account register(String username, String password) {
		return register(username, password, List.of(Account.USER));
	}

	Account register(String username, String password, List<String> roles) {
		return this.repository.insert(username, this.passwords.hash(password), roles,
				this.clock.instant().truncatedTo(ChronoUnit.MILLIS));
	}

	/**
	 * Finds the account a username and password belong to. An unknown username costs as
	 * much time as a wrong password.
	 * @param username the username
	 * @param password the password
	 * @return the account, empty when the username is unknown or the password wrong
	 */
	public Optional<Account> authenticate(String username, String password) {
		if (!Usernames.isValid(username)) {
			// never an account (and never looked up): the same work as a wrong password
			this.passwords.matches(password, null);
			return Optional.empty();
		}
		Optional<Account> account = this.repository.findByUsername(username);
		boolean matches = this.passwords.matches(password, account.map(Account::passwordHash).orElse(null));
		return matches ? account : Optional.empty();
	}

	Optional<Account> find(String username) {
		return this.repository.findByUsername(username);
	}

}
