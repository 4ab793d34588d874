package dev.sysdesign.redis.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * How the services behind the gateway tie long-lived connections to the session that
 * opened them without ever seeing its id: an opaque reference, the SHA-256 of the session
 * id (Base64url, 43 characters), from which the id cannot be recovered.
 * <ul>
 * <li>The gateway sends it on a WebSocket handshake as {@code X-User-Session}
 * ({@code Headers.USER_SESSION} of the contracts), with the session's remaining lifetime
 * in seconds as {@code X-User-Session-Ttl} (both are {@code X-User-*} headers, so a
 * client can never supply them).</li>
 * <li>session-service publishes it on the Redis channel {@value #ENDED_CHANNEL} whenever
 * it ends a session (logout, logout everywhere, a new login replacing the session, the
 * absolute lifetime), so that every instance holding a connection of that session closes
 * it.</li>
 * </ul>
 * Publication is best effort (Redis pub/sub keeps nothing for a subscriber that is away):
 * a connection also ends by itself when the lifetime it was given runs out.
 */
public final class SessionReference {

	/**
	 * The Redis pub/sub channel on which the references of ended sessions are published.
	 */
	public static final String ENDED_CHANNEL = "platform:sessions:ended";

	private SessionReference() {
	}

	/**
	 * The reference of a session.
	 * @param sessionId the session id
	 * @return its opaque reference
	 */
	public static String of(String sessionId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
