package dev.sysdesign.session.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import dev.sysdesign.redis.session.SessionFormat;

/**
 * Accounts in the {@code accounts} schema.
 */
@Repository
class AccountRepository {

	private final JdbcClient jdbc;

	AccountRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Inserts an account.
	 * @param username the name
	 * @param passwordHash the hash
	 * @param roles the roles
	 * @param now the time
	 * @return the stored account
	 * @throws UsernameTakenException when the name exists
	 */
	Account insert(String username, String passwordHash, List<String> roles, Instant now) {
		KeyHolder keys = new GeneratedKeyHolder();
		try {
			this.jdbc.sql("INSERT INTO account (username, password_hash, roles, created_at) VALUES (?, ?, ?, ?)")
				.params(username, passwordHash, String.join(",", roles), LocalDateTime.ofInstant(now, ZoneOffset.UTC))
				.update(keys, "id");
		}
		catch (DuplicateKeyException ex) {
			throw new UsernameTakenException(username);
		}
		return new Account(keys.getKey().longValue(), username, passwordHash, roles, now);
	}

	Optional<Account> findByUsername(String username) {
		return this.jdbc.sql("SELECT id, username, password_hash, roles, created_at FROM account WHERE username = ?")
			.param(username)
			.query(AccountRepository::account)
			.optional();
	}

	private static Account account(ResultSet rs, int row) throws SQLException {
		return new Account(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
				SessionFormat.roles(rs.getString("roles")),
				rs.getObject("created_at", LocalDateTime.class).toInstant(ZoneOffset.UTC));
	}

}
