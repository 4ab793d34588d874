package dev.sysdesign.support.identity;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The authenticated user a request is made for, as the gateway states it in the
 * {@code X-User-Id} and {@code X-User-Roles} headers. Services trust these headers
 * because only the gateway reaches them, and the gateway removes any the client sent.
 * <p>
 * Declare a {@code Caller} parameter on a handler method to require an authenticated
 * caller (401 otherwise); annotate the method with {@link RequiresRole} to require a role
 * (403 otherwise).
 *
 * @param userId the account's numeric id, positive
 * @param roles the account's roles, never {@code null}
 */
public record Caller(long userId, Set<String> roles) {

	/**
	 * The request attribute holding the caller, parsed once per request from the
	 * gateway's identity headers ({@link IdentityFilter}); absent for an anonymous call.
	 */
	public static final String ATTRIBUTE = Caller.class.getName();

	public Caller {
		roles = Set.copyOf(roles);
	}

	/**
	 * Tells whether the caller has a role.
	 * @param role a role such as {@code ADMIN}
	 * @return whether the caller has it
	 */
	public boolean hasRole(String role) {
		return this.roles.contains(role);
	}

	/**
	 * Reads the caller from the identity headers.
	 * @param userId the {@code X-User-Id} value, may be {@code null}
	 * @param roles the {@code X-User-Roles} value, may be {@code null}
	 * @return the caller, or {@code null} when the id is missing or not a positive number
	 */
	/**
	 * The caller of a request, as {@link IdentityFilter} parsed it.
	 * @param request the request
	 * @return the caller, or {@code null} for an anonymous call
	 */
	public static @Nullable Caller of(jakarta.servlet.ServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof Caller caller) ? caller : null;
	}

	public static @Nullable Caller fromHeaders(@Nullable String userId, @Nullable String roles) {
		if (userId == null || userId.isBlank() || userId.length() > 19) {
			return null;
		}
		long id;
		try {
			id = Long.parseLong(userId.trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
		if (id <= 0) {
			return null;
		}
		Set<String> parsed = (roles == null) ? Set.of()
				: Arrays.stream(roles.split(","))
					.map(String::trim)
					.filter((role) -> !role.isEmpty())
					.collect(Collectors.toUnmodifiableSet());
		return new Caller(id, parsed);
	}

}
