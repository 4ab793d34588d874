package dev.sysdesign.messaging;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The inbox: the ids of the messages a service processed, written in the same transaction
 * as the processing's effects. A redelivered or duplicated message finds its id there and
 * changes nothing.
 */
public class Inbox {

	private final JdbcClient jdbc;

	private final Clock clock;

	public Inbox(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Records a message as processed, inside the current transaction.
	 * @param messageId the message's id
	 * @return {@code true} the first time, {@code false} when it was processed before
	 */
	public boolean firstDelivery(String messageId) {
		try {
			this.jdbc.sql("INSERT INTO inbox (message_id, processed_at) VALUES (?, ?)")
				.params(messageId, LocalDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

}
