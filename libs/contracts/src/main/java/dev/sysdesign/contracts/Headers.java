package dev.sysdesign.contracts;

/**
 * The HTTP headers the platform's processes agree on.
 * <p>
 * The identity headers ({@link #USER_ID}, {@link #USER_ROLES}, {@link #CLIENT_ADDRESS})
 * are set by the gateway only, after it read the caller's session and derived the
 * client's address; it removes any a client sends. The services trust them because
 * nothing but the gateway reaches their ports (docs/architecture.md).
 */
public final class Headers {

	/** The caller's user id, a positive integer. Absent: an anonymous caller. */
	public static final String USER_ID = "X-User-Id";

	/** The caller's roles, comma-separated ({@code USER}, {@code ADMIN}). */
	public static final String USER_ROLES = "X-User-Roles";

	/** The client's address as the gateway derived it (trusted proxies walked). */
	public static final String CLIENT_ADDRESS = "X-Client-Address";

	/** The request's id: the client's when it is safe, otherwise one of the gateway's. */
	public static final String REQUEST_ID = "X-Request-Id";

	/** The session token of API clients (the browser uses the {@code SESSION} cookie). */
	public static final String AUTH_TOKEN = "X-Auth-Token";

	/** The client's key for a safely retried {@code POST /api/orders}. */
	public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	/**
	 * On a WebSocket handshake: an opaque reference to the caller's session (the SHA-256
	 * of its id, Base64url), so that the service can close the socket when the session
	 * ends; services never see the id itself.
	 */
	public static final String USER_SESSION = "X-User-Session";

	/**
	 * On a WebSocket handshake: the seconds until the caller's session expires if unused.
	 */
	public static final String USER_SESSION_TTL = "X-User-Session-Ttl";

	/**
	 * The prefix of the headers that carry the caller's session to the services
	 * ({@link #USER_ID}, {@link #USER_ROLES} and the session reference of a WebSocket
	 * handshake): the gateway removes every header with it that a client sends.
	 */
	public static final String USER_PREFIX = "X-User-";

	/** The headers only the gateway may set. */
	public static final java.util.List<String> IDENTITY = java.util.List.of(USER_ID, USER_ROLES, CLIENT_ADDRESS);

	private Headers() {
	}

}
