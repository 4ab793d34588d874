package dev.sysdesign.gateway.auth;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.web.server.ServerWebExchange;

/**
 * The authenticated user of a request, as read from the session.
 *
 * @param userId the account id
 * @param username the username
 * @param roles the roles
 * @param sessionId the session's id
 * @param expiresAt when the session ends unless it is used again (the earlier of its idle
 * and absolute expiry)
 */
public record Identity(String userId, String username, List<String> roles, String sessionId, Instant expiresAt) {

	/** The exchange attribute holding the identity of an authenticated request. */
	public static final String ATTRIBUTE = Identity.class.getName();

	/**
	 * Whether the user has a role.
	 * @param role the role
	 * @return whether the user has it
	 */
	public boolean hasRole(String role) {
		return this.roles.contains(role);
	}

	/**
	 * The identity of an exchange.
	 * @param exchange the exchange
	 * @return its identity, or {@code null} when anonymous
	 */
	public static @Nullable Identity of(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

}
