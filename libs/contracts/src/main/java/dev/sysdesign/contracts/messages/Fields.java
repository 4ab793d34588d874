package dev.sysdesign.contracts.messages;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The checks the payload records run on their fields, each failing with an
 * {@link InvalidPayloadException} that names the field.
 */
final class Fields {

	/** The longest text field a payload may carry. */
	static final int MAX_TEXT = 200;

	private Fields() {
	}

	/** A UUID, in canonical form. */
	static String uuid(@Nullable String value, String field) {
		String text = text(value, field);
		try {
			return UUID.fromString(text).toString();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPayloadException(field + " is not a UUID: " + text);
		}
	}

	/** A positive number. */
	static long positive(long value, String field) {
		if (value <= 0) {
			throw new InvalidPayloadException(field + " must be positive");
		}
		return value;
	}

	/** A number that is not negative. */
	static long notNegative(long value, String field) {
		if (value < 0) {
			throw new InvalidPayloadException(field + " must not be negative");
		}
		return value;
	}

	/** A required text, not blank, at most {@value #MAX_TEXT} characters. */
	static String text(@Nullable String value, String field) {
		String text = optionalText(value, field);
		if (text == null) {
			throw new InvalidPayloadException(field + " is missing");
		}
		return text;
	}

	/**
	 * An optional text: absent, or not blank and at most {@value #MAX_TEXT} characters.
	 */
	static @Nullable String optionalText(@Nullable String value, String field) {
		if (value == null) {
			return null;
		}
		if (value.isBlank() || value.length() > MAX_TEXT) {
			throw new InvalidPayloadException(field + " is not a valid string");
		}
		return value;
	}

	/** A required value. */
	static <T> T required(@Nullable T value, String field) {
		if (value == null) {
			throw new InvalidPayloadException(field + " is missing");
		}
		return value;
	}

}
