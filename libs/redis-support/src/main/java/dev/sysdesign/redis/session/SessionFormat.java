package dev.sysdesign.redis.session;

import java.util.Arrays;
import java.util.List;

import org.springframework.session.FindByIndexNameSessionRepository;

/**
 * The contract of the sessions session-service writes to Redis and every gateway instance
 * reads: Spring Session's indexed Redis layout in one namespace, with plain attributes
 * serialized as JSON ({@link SessionJsonRedisSerializer}).
 * <p>
 * A session is found by its id, sent either as the {@value #COOKIE} cookie (the console
 * in a browser, not Base64-encoded) or as the {@code X-Auth-Token} header
 * ({@code Headers.AUTH_TOKEN} of the contracts) (API clients).
 */
public final class SessionFormat {

	/** The Redis key namespace of the sessions. */
	public static final String NAMESPACE = "spring:session";

	/** The cookie carrying the session id. */
	public static final String COOKIE = "SESSION";

	/** Attribute: the account id, a decimal string. */
	public static final String USER_ID = "userId";

	/** Attribute: the account's username. */
	public static final String USERNAME = "username";

	/** Attribute: the account's roles, comma-separated ({@code USER}, {@code ADMIN}). */
	public static final String ROLES = "roles";

	/**
	 * Attribute indexing the session by its principal (the account id), so that every
	 * session of an account can be found and ended.
	 */
	public static final String PRINCIPAL = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

	private SessionFormat() {
	}

	/**
	 * Splits the roles attribute.
	 * @param roles the attribute value, may be {@code null}
	 * @return the roles, never {@code null}
	 */
	public static List<String> roles(String roles) {
		if (roles == null || roles.isBlank()) {
			return List.of();
		}
		return Arrays.stream(roles.split(",")).map(String::trim).filter((role) -> !role.isEmpty()).toList();
	}

}
