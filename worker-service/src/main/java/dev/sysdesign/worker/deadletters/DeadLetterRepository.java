package dev.sysdesign.worker.deadletters;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code dead_letter} table.
 */
@Repository
class DeadLetterRepository {

	private static final String COLUMNS = "id, message_id, message_type, queue, exchange, routing_key, error, attempts, "
			+ "payload, content_type, traceparent, dead_lettered_at, replayed_at";

	private final JdbcClient jdbc;

	DeadLetterRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a dead letter once.
	 * @return whether it was new
	 */
	boolean insert(String key, Received received) {
		try {
			this.jdbc
				.sql("INSERT INTO dead_letter (dead_letter_key, message_id, message_type, exchange, routing_key, "
						+ "queue, error, attempts, payload, content_type, traceparent, dead_lettered_at) "
						+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				.params(key, received.messageId(), received.messageType(), received.exchange(), received.routingKey(),
						received.queue(), received.error(), received.attempts(), received.body(),
						received.contentType(), received.traceparent(), utc(received.deadLetteredAt()))
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	List<DeadLetter> findRecent(int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM dead_letter ORDER BY id DESC LIMIT ?")
			.param(limit)
			.query(DeadLetterRepository::row)
			.list();
	}

	Optional<DeadLetter> findByIdForUpdate(long id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM dead_letter WHERE id = ? FOR UPDATE")
			.param(id)
			.query(DeadLetterRepository::row)
			.optional();
	}

	void markReplayed(long id, Instant now) {
		this.jdbc.sql("UPDATE dead_letter SET replayed_at = ? WHERE id = ?").params(utc(now), id).update();
	}

	private static DeadLetter row(ResultSet rs, int n) throws SQLException {
		byte[] body = rs.getBytes("payload");
		LocalDateTime replayedAt = rs.getObject("replayed_at", LocalDateTime.class);
		return new DeadLetter(rs.getLong("id"), rs.getString("message_id"), rs.getString("message_type"),
				rs.getString("queue"), rs.getString("exchange"), rs.getString("routing_key"), rs.getString("error"),
				rs.getInt("attempts"), text(body),
				rs.getObject("dead_lettered_at", LocalDateTime.class).toInstant(ZoneOffset.UTC),
				(replayedAt != null) ? replayedAt.toInstant(ZoneOffset.UTC) : null, body, rs.getString("content_type"),
				rs.getString("traceparent"));
	}

	/** The body as text when it is valid UTF-8 of reasonable size. */
	private static @Nullable String text(byte[] body) {
		if (body.length > 64 * 1024) {
			return null;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/**
	 * A dead letter as drained from the queue.
	 */
	record Received(@Nullable String messageId, @Nullable String messageType, @Nullable String exchange,
			@Nullable String routingKey, @Nullable String queue, String error, int attempts, byte[] body,
			@Nullable String contentType, @Nullable String traceparent, Instant deadLetteredAt) {
	}

}
