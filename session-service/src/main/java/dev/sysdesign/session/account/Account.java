package dev.sysdesign.session.account;

import java.time.Instant;
import java.util.List;

/**
 * An account.
 *
 * @param id its numeric id, what the gateway passes on as {@code X-User-Id}
 * @param username its unique, lowercase name
 * @param passwordHash the password's adaptive hash (never the password)
 * @param roles its roles: {@code USER}, and {@code ADMIN} for administrators
 * @param createdAt when it was registered
 */
public record Account(long id, String username, String passwordHash, List<String> roles, Instant createdAt) {

	/** The role of every account. */
	public static final String USER = "USER";

	/** The role of administrators. */
	public static final String ADMIN = "ADMIN";

}
