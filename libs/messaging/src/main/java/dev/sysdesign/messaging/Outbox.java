package dev.sysdesign.messaging;

import dev.sysdesign.contracts.messages.MessageType;
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
 * Events are the message types of {@code libs/contracts}: the type names the exchange,
 * the routing key and the payload's record, so what is written here is what the consumers
 * read. The {@code outbox} table comes with this library ({@code db/messaging}, applied
 * after the service's own Flyway migrations by service-support's {@code LibrarySchema}).
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
	 * @param type the message type: its exchange, routing key and name
	 * @param payload the payload
	 * @param <T> the payload's record
	 * @return the envelope written
	 * @throws IllegalStateException outside a transaction
	 */
	public <T> Envelope append(MessageType<T> type, T payload) {
		return append(type.exchange(), type.routingKey(), type.name(), payload);
	}

	private Envelope append(String exchange, String routingKey, String type, Object data) {
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
