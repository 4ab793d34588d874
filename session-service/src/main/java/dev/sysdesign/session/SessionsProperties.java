package dev.sysdesign.session;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Sessions and login.
 *
 * @param absoluteLifetime how long a session lives however much it is used (its idle
 * timeout is {@code spring.session.timeout})
 * @param cookieSecure whether the {@code SESSION} cookie is marked {@code Secure} (on
 * behind HTTPS, and in the compose configuration)
 * @param login login throttling
 * @param passwordHashing password hashing
 * @param admin the administrator account created at start-up, when both are set
 */
@Validated
@ConfigurationProperties("sessions")
public record SessionsProperties(@DefaultValue("12h") Duration absoluteLifetime, boolean cookieSecure,
		@DefaultValue Login login, @DefaultValue PasswordHashing passwordHashing, @DefaultValue Admin admin) {

	/**
	 * Login throttling: after this many failed logins in a window, further logins for the
	 * username (or from the client address) are refused with 429 until the window ends —
	 * even with the right password.
	 *
	 * @param maxFailuresPerUsername failures per username per window
	 * @param maxFailuresPerAddress failures per client address per window
	 * @param window the window, also the lock-out's longest duration
	 */
	public record Login(@DefaultValue("5") @Min(1) int maxFailuresPerUsername,
			@DefaultValue("20") @Min(1) int maxFailuresPerAddress, @DefaultValue("15m") Duration window) {
	}

	/**
	 * Password hashing.
	 *
	 * @param maxConcurrent how many hashes may be computed at once (each takes 19 MiB)
	 * @param maxQueued how many requests may wait for one; more are refused with 503
	 * @param maxWait how long a request may wait; longer and it is refused with 503
	 */
	public record PasswordHashing(@DefaultValue("4") @Min(1) int maxConcurrent,
			@DefaultValue("64") @Min(0) int maxQueued, @DefaultValue("2s") Duration maxWait) {
	}

	/**
	 * The administrator account, created at start-up when both values are set; there is
	 * no default password.
	 *
	 * @param username its username
	 * @param password its password
	 */
	public record Admin(String username, String password) {

		public boolean configured() {
			return this.username != null && !this.username.isBlank() && this.password != null
					&& !this.password.isBlank();
		}

	}

}
