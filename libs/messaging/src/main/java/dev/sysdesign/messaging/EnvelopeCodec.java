package dev.sysdesign.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import dev.sysdesign.contracts.messages.InvalidPayloadException;
import dev.sysdesign.contracts.messages.MessageType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes and reads {@link Envelope}s. Reading is strict: anything that is not an envelope
 * (invalid JSON, a missing or malformed field) is a {@link MalformedMessageException},
 * which consumers dead-letter at once instead of retrying.
 */
public final class EnvelopeCodec {

	private final JsonMapper json;

	public EnvelopeCodec(JsonMapper json) {
		this.json = json;
	}

	/**
	 * The JSON mapper, for payloads.
	 * @return the mapper
	 */
	public JsonMapper json() {
		return this.json;
	}

	/**
	 * Serializes an envelope.
	 * @param envelope the envelope
	 * @return UTF-8 JSON
	 */
	public byte[] write(Envelope envelope) {
		ObjectNode node = this.json.createObjectNode();
		node.put("messageId", envelope.messageId());
		node.put("type", envelope.type());
		node.put("occurredAt", envelope.occurredAt().toString());
		node.set("data", envelope.data());
		return this.json.writeValueAsBytes(node);
	}

	/**
	 * Reads an envelope.
	 * @param body UTF-8 JSON
	 * @return the envelope
	 * @throws MalformedMessageException when the body is not a valid envelope
	 */
	public Envelope read(byte[] body) {
		JsonNode node;
		try {
			node = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new MalformedMessageException("invalid JSON: " + ex.getOriginalMessage());
		}
		if (node == null || !node.isObject()) {
			throw new MalformedMessageException("not a JSON object: " + preview(body));
		}
		String messageId = text(node, "messageId");
		try {
			UUID.fromString(messageId);
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedMessageException("messageId is not a UUID: " + messageId);
		}
		String type = text(node, "type");
		Instant occurredAt;
		try {
			occurredAt = Instant.parse(text(node, "occurredAt"));
		}
		catch (DateTimeParseException ex) {
			throw new MalformedMessageException("occurredAt is not an ISO-8601 instant");
		}
		JsonNode data = node.get("data");
		if (data == null || !data.isObject()) {
			throw new MalformedMessageException("data is missing or not an object");
		}
		return new Envelope(messageId, type, occurredAt, data);
	}

	/**
	 * Reads an envelope's payload as the record its message type names: the consumer's
	 * side of the contract in {@code libs/contracts}. Unknown fields are ignored (a
	 * producer may add one before its consumers know it); a payload that breaks the
	 * record's rules is a {@link MalformedMessageException} naming the field.
	 * @param envelope the envelope
	 * @param type the message type the consumer expects
	 * @param <T> the payload's record
	 * @return the payload
	 * @throws MalformedMessageException when the envelope is of another type or its
	 * payload breaks the contract
	 */
	public <T> T payload(Envelope envelope, MessageType<T> type) {
		if (!type.name().equals(envelope.type())) {
			throw new MalformedMessageException(
					"unexpected message type " + envelope.type() + " (expected " + type.name() + ")");
		}
		try {
			// a missing number reaches the record as 0, which its checks refuse by name
			return this.json.readerFor(type.payload())
				.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
				.without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
				.readValue(envelope.data());
		}
		catch (JacksonException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof InvalidPayloadException invalid) {
					throw new MalformedMessageException(invalid.getMessage());
				}
			}
			throw new MalformedMessageException("invalid " + type.name() + " payload: " + ex.getOriginalMessage());
		}
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString() || value.asString().isBlank()) {
			throw new MalformedMessageException(field + " is missing");
		}
		return value.asString();
	}

	private static String preview(byte[] body) {
		String text = new String(body, StandardCharsets.UTF_8);
		return (text.length() > 80) ? text.substring(0, 80) + "…" : text;
	}

}
