package dev.sysdesign.session.account;

/**
 * Every password-hashing slot is busy and the queue in front of them is full, or a
 * request waited longer than allowed: the login or registration is refused (503 with
 * {@code Retry-After}) rather than hashed after its client gave up.
 */
public class PasswordHashingBusyException extends RuntimeException {

	PasswordHashingBusyException() {
		super("Password hashing is busy");
	}

}
