package dev.sysdesign.messaging;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Strict reading of message payloads ({@link Envelope#data()}): a missing or ill-typed
 * field is a {@link MalformedMessageException}, which consumers dead-letter at once with
 * the reason.
 */
public final class Payloads {

	private Payloads() {
	}

	/**
	 * The {@code orderId} field, a UUID.
	 * @param data the payload
	 * @return the id in canonical form
	 */
	public static String orderId(JsonNode data) {
		String value = text(data, "orderId");
		try {
			return UUID.fromString(value).toString();
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedMessageException("orderId is not a UUID: " + value);
		}
	}

	/**
	 * A positive integer field.
	 * @param data the payload
	 * @param field the field
	 * @return its value
	 */
	public static long positiveLong(JsonNode data, String field) {
		long value = longValue(data, field);
		if (value <= 0) {
			throw new MalformedMessageException(field + " must be positive");
		}
		return value;
	}

	/**
	 * An integer field.
	 * @param data the payload
	 * @param field the field
	 * @return its value
	 */
	public static long longValue(JsonNode data, String field) {
		JsonNode value = data.get(field);
		if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
			throw new MalformedMessageException(field + " is missing or not an integer");
		}
		return value.asLong();
	}

	/**
	 * A required text field (at most 200 characters).
	 * @param data the payload
	 * @param field the field
	 * @return its value
	 */
	public static String text(JsonNode data, String field) {
		String value = optionalText(data, field);
		if (value == null) {
			throw new MalformedMessageException(field + " is missing");
		}
		return value;
	}

	/**
	 * An optional text field (at most 200 characters).
	 * @param data the payload
	 * @param field the field
	 * @return its value, or {@code null} when absent
	 */
	public static @Nullable String optionalText(JsonNode data, String field) {
		JsonNode value = data.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString() || value.asString().isBlank() || value.asString().length() > 200) {
			throw new MalformedMessageException(field + " is not a valid string");
		}
		return value.asString();
	}

}
