package dev.sysdesign.session.account;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

import dev.sysdesign.session.SessionsProperties;

/**
 * Argon2id password hashes (OWASP's parameters: 19 MiB of memory, 2 iterations), computed
 * at most {@code sessions.password-hashing.max-concurrent} at a time: each hash holds 19
 * MiB, so an unbounded burst of logins would exhaust a small heap. The queue in front is
 * bounded too: at most {@code max-queued} requests wait, each at most {@code max-wait};
 * the others are refused at once ({@link PasswordHashingBusyException}, 503 with
 * {@code Retry-After}) instead of being hashed long after their clients gave up.
 * <p>
 * Unknown usernames are checked against a hash of a random password, so that their answer
 * takes as long as a wrong password's.
 */
@Component
public class PasswordHashing {

	private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);

	private final Semaphore permits;

	private final int maxQueued;

	private final long maxWaitNanos;

	private final String decoy;

	PasswordHashing(SessionsProperties properties) {
		this.permits = new Semaphore(properties.passwordHashing().maxConcurrent(), true);
		this.maxQueued = properties.passwordHashing().maxQueued();
		this.maxWaitNanos = properties.passwordHashing().maxWait().toNanos();
		this.decoy = hash(java.util.UUID.randomUUID().toString());
	}

	/**
	 * Hashes a password.
	 * @param password the password
	 * @return its Argon2id hash with parameters and salt
	 */
	public String hash(String password) {
		return bounded(() -> this.encoder.encode(password));
	}

	/**
	 * Checks a password.
	 * @param password the password sent
	 * @param hash the stored hash, or {@code null} for an unknown account
	 * @return whether it matches; always {@code false} for an unknown account, after the
	 * same work as a real check
	 */
	public boolean matches(String password, String hash) {
		if (hash == null) {
			bounded(() -> this.encoder.matches(password, this.decoy));
			return false;
		}
		return bounded(() -> this.encoder.matches(password, hash));
	}

	/**
	 * Requests waiting for a slot now.
	 * @return their number (an estimate, as {@link Semaphore#getQueueLength()})
	 */
	int waiting() {
		return this.permits.getQueueLength();
	}

	/**
	 * Runs work holding one of the slots.
	 * @throws PasswordHashingBusyException when no slot is free, the queue is full or the
	 * wait too long
	 */
	<T> T bounded(java.util.function.Supplier<T> work) {
		if (!this.permits.tryAcquire()) {
			if (this.permits.getQueueLength() >= this.maxQueued) {
				throw new PasswordHashingBusyException();
			}
			try {
				if (!this.permits.tryAcquire(this.maxWaitNanos, TimeUnit.NANOSECONDS)) {
					throw new PasswordHashingBusyException();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new PasswordHashingBusyException();
			}
		}
		try {
			return work.get();
		}
		finally {
			this.permits.release();
		}
	}

}
