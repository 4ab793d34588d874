package dev.sysdesign.session.account;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import dev.sysdesign.session.SessionsProperties;

/**
 * Creates the administrator account at start-up when {@code ADMIN_USERNAME} and
 * {@code ADMIN_PASSWORD} are set and no account has that name. Without them there is no
 * administrator: the platform ships no default password.
 */
@Component
class AdminAccountInitializer implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(AdminAccountInitializer.class);

	private final Accounts accounts;

	private final SessionsProperties.Admin admin;

	AdminAccountInitializer(Accounts accounts, SessionsProperties properties) {
		this.accounts = accounts;
		this.admin = properties.admin();
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!this.admin.configured()) {
			log.info("No administrator configured (ADMIN_USERNAME/ADMIN_PASSWORD unset)");
			return;
		}
		String username = Usernames.canonical(this.admin.username());
		if (!Usernames.isValid(username)) {
			throw new IllegalStateException("ADMIN_USERNAME '" + this.admin.username() + "' is not a valid username ("
					+ Usernames.PATTERN + ")");
		}
		if (this.accounts.find(username).isPresent()) {
			return;
		}
		try {
			this.accounts.register(username, this.admin.password(), List.of(Account.USER, Account.ADMIN));
			log.info("Created the administrator account {}", username);
		}
		catch (UsernameTakenException ex) {
			// another instance created it at the same time
		}
	}

}
