package dev.sysdesign.messaging;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox: an event is written as a row of the {@code outbox} table in
 * the same transaction as the change it reports, so it exists if and only if the change
 * committed. The {@link OutboxRelay} publishes it afterwards; after the commit the relay
 * is woken up so that the message leaves within milliseconds.
 * <p>
 * Expects the table of {@code outbox.sql} (see the services' Flyway migrations).
 */
public class Outbox {

	private final JdbcClient jdbc;

	private final EnvelopeCodec codec;

	private final TraceHeaders traces;

	private final Clock clock;

	private final Runnable wakeUp;

	/**
	 * Creates the outbox.
	 * @param jdbc a client of the service's database (the transactional one)
	 * @param codec writes envelopes
	 * @param traces captures the trace context
	 * @param clock the clock
	 * @param wakeUp called after a transaction that wrote rows commits (the relay's
	 * wake-up)
	 */
	public Outbox(JdbcClient jdbc, EnvelopeCodec codec, TraceHeaders traces, Clock clock, Runnable wakeUp) {
		this.jdbc = jdbc;
		this.codec = codec;
		this.traces = traces;
		this.clock = clock;
		this.wakeUp = wakeUp;
	}

	/**
	 * Appends an event to the outbox, inside the current transaction.
	 * @param exchange the exchange to publish to
	 * @param routingKey the routing key
	 * @param type the event type
	 * @param data the payload (a record or map, serialized as a JSON object)
	 * @return the envelope written
	 * @throws IllegalStateException outside a transaction
	 */
	public Envelope append(String exchange, String routingKey, String type, Object data) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("the outbox must be written in the transaction of the change");
		}
		Instant now = this.clock.instant();
		JsonNode payload = this.codec.json().valueToTree(data);
		Envelope envelope = Envelope.of(type, now, payload);
		LocalDateTime utc = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
		this.jdbc.sql(
				"INSERT INTO outbox (message_id, exchange, routing_key, message_type, payload, traceparent, created_at, "
						+ "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)")
			.params(envelope.messageId(), exchange, routingKey, type, this.codec.write(envelope),
					this.traces.currentTraceparent(), utc, utc)
			.update();
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					Outbox.this.wakeUp.run();
				}
			});
		}
		return envelope;
	}

}
