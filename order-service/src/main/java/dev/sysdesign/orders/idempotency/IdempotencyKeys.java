package dev.sysdesign.orders.idempotency;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code Idempotency-Key}s per user, stored on the primary with a hash of the request and
 * the order it created. Claiming a key is the first write of the order's transaction: a
 * concurrent request with the same key — on any instance — blocks on the row's lock until
 * the first transaction ends, then finds the key taken (or, if the first rolled back,
 * claims it itself). Keys expire after {@code orders.idempotency.ttl}.
 */
@Repository
public class IdempotencyKeys {

	private final JdbcClient jdbc;

	IdempotencyKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Claims a key inside the current transaction.
	 * @param userId the user
	 * @param key the key
	 * @param requestHash the request's fingerprint
	 * @param orderId the order the request is about to create
	 * @param now the time
	 * @param ttl how long the key is kept
	 * @throws KeyTakenException when a committed request already holds the key
	 * @throws IdempotencyKeyInFlightException when another request still holds it after
	 * the lock wait
	 */
	public void claim(long userId, String key, String requestHash, String orderId, Instant now, Duration ttl) {
		try {
			this.jdbc
				.sql("INSERT INTO idempotency_key (user_id, idempotency_key, request_hash, order_id, created_at, "
						+ "expires_at) VALUES (?, ?, ?, ?, ?, ?)")
				.params(userId, key, requestHash, orderId, utc(now), utc(now.plus(ttl)))
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw new KeyTakenException();
		}
		catch (PessimisticLockingFailureException ex) {
			throw new IdempotencyKeyInFlightException();
		}
	}

	/**
	 * Reads a key.
	 * @param userId the user
	 * @param key the key
	 * @return the stored key, if any
	 */
	public Optional<StoredKey> find(long userId, String key) {
		return this.jdbc.sql(
				"SELECT request_hash, order_id, expires_at FROM idempotency_key WHERE user_id = ? AND idempotency_key = ?")
			.params(userId, key)
			.query(IdempotencyKeys::storedKey)
			.optional();
	}

	/**
	 * Deletes one key if it expired.
	 * @param userId the user
	 * @param key the key
	 * @param now the time
	 * @return whether it was deleted
	 */
	public boolean deleteIfExpired(long userId, String key, Instant now) {
		return this.jdbc
			.sql("DELETE FROM idempotency_key WHERE user_id = ? AND idempotency_key = ? AND expires_at <= ?")
			.params(userId, key, utc(now))
			.update() == 1;
	}

	/**
	 * Deletes expired keys, a bounded batch at a time.
	 * @param now the time
	 * @param limit the most rows to delete
	 * @return how many were deleted
	 */
	public int deleteExpired(Instant now, int limit) {
		return this.jdbc.sql("DELETE FROM idempotency_key WHERE expires_at <= ? LIMIT ?")
			.params(utc(now), limit)
			.update();
	}

	private static StoredKey storedKey(ResultSet rs, int n) throws SQLException {
		return new StoredKey(rs.getString("request_hash"), rs.getString("order_id"),
				rs.getObject("expires_at", LocalDateTime.class).toInstant(ZoneOffset.UTC));
	}

	private static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/**
	 * A stored key.
	 *
	 * @param requestHash the fingerprint of the request that claimed it
	 * @param orderId the order that request created
	 * @param expiresAt when it expires
	 */
	public record StoredKey(String requestHash, String orderId, Instant expiresAt) {

		/**
		 * Whether the key has expired.
		 * @param now the time
		 * @return whether it is past its expiry
		 */
		public boolean expired(Instant now) {
			return !this.expiresAt.isAfter(now);
		}

	}

	/**
	 * The key is held by a committed request.
	 */
	public static class KeyTakenException extends RuntimeException {

		KeyTakenException() {
			super("Idempotency-Key already used", null, false, false);
		}

	}

}
