package dev.sysdesign.redis.session;

import java.time.Duration;
import java.time.Instant;

/**
 * When a session ends: after {@code idle} without use (Spring Session's max inactive
 * interval) or {@code absolute} after its creation, whichever comes first. The gateway
 * and session-service both enforce it.
 *
 * @param absolute the longest a session lives however much it is used
 */
public record SessionLifetime(Duration absolute) {

	/**
	 * When a session expires.
	 * @param created its creation time
	 * @param lastAccessed its last use
	 * @param idle its idle timeout
	 * @return the earlier of the idle and absolute expiry
	 */
	public Instant expiresAt(Instant created, Instant lastAccessed, Duration idle) {
		Instant idleExpiry = lastAccessed.plus(idle);
		Instant absoluteExpiry = created.plus(this.absolute);
		return idleExpiry.isBefore(absoluteExpiry) ? idleExpiry : absoluteExpiry;
	}

	/**
	 * Whether a session is past its absolute lifetime.
	 * @param created its creation time
	 * @param now the time
	 * @return whether it must end now
	 */
	public boolean pastAbsoluteLifetime(Instant created, Instant now) {
		return !now.isBefore(created.plus(this.absolute));
	}

}
