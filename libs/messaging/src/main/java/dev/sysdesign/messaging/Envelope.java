package dev.sysdesign.messaging;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * The envelope of every message of the platform (JSON, UTF-8): {@code {messageId, type,
 * occurredAt, data}}. The AMQP {@code message_id} property carries {@code messageId} too;
 * consumers use it to recognise a message they already processed.
 *
 * @param messageId a UUID, unique per message (a redelivery or a duplicate has the same)
 * @param type what happened, such as {@code order.placed}
 * @param occurredAt when it happened, UTC
 * @param data the payload, a JSON object
 */
public record Envelope(String messageId, String type, Instant occurredAt, JsonNode data) {

	/**
	 * A new envelope for an event happening now.
	 * @param type the event type
	 * @param occurredAt when it happened
	 * @param data the payload
	 * @return the envelope with a fresh, time-ordered id (so that consumers' inboxes
	 * append to their primary key)
	 */
	public static Envelope of(String type, Instant occurredAt, JsonNode data) {
		return new Envelope(TimeOrderedUuids.next().toString(), type, occurredAt, data);
	}

}
