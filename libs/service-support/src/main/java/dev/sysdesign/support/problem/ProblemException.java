package dev.sysdesign.support.problem;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * An error that knows the RFC 9457 problem it is: its status, stable {@code type}
 * ({@link dev.sysdesign.contracts.problems.ProblemTypes}), title, detail, extra
 * properties and, for a condition that passes, a {@code Retry-After}. A feature throws it
 * from any layer without a web type in sight; the platform's problem handler
 * ({@code PlatformProblemHandler}) turns every one of them into the response, so that no
 * handler needs to know the features' exceptions.
 */
public abstract class ProblemException extends RuntimeException {

	private final int status;

	private final URI type;

	private final String title;

	private final String detail;

	private final Map<String, Object> properties = new LinkedHashMap<>();

	private @Nullable Duration retryAfter;

	/**
	 * Creates the error.
	 * @param status the HTTP status
	 * @param type the stable problem type
	 * @param title a short, human-readable summary of the type
	 * @param detail what happened in this occurrence, for the client (also the
	 * exception's message)
	 */
	protected ProblemException(int status, URI type, String title, String detail) {
		super(detail);
		this.status = status;
		this.type = type;
		this.title = title;
		this.detail = detail;
	}

	/**
	 * Adds a property to the problem body ({@code sku}, {@code orderStatus}, ...).
	 * @param name the property
	 * @param value its value (a string, number, list or map)
	 */
	protected final void property(String name, Object value) {
		this.properties.put(name, value);
	}

	/**
	 * Asks the client to retry after a while ({@code Retry-After}).
	 * @param delay the delay, whole seconds
	 */
	protected final void retryAfter(Duration delay) {
		this.retryAfter = delay;
	}

	/**
	 * A 400 problem of type {@code validation}, with the invalid field (a header, a
	 * parameter) as the platform's validation problems list them.
	 * @param field the field
	 * @param message what is wrong with it
	 */
	protected final void invalidField(String field, String message) {
		property("errors", List.of(Map.of("field", field, "message", message)));
	}

	public int status() {
		return this.status;
	}

	public URI type() {
		return this.type;
	}

	public String title() {
		return this.title;
	}

	public String detail() {
		return this.detail;
	}

	public Map<String, Object> properties() {
		return java.util.Collections.unmodifiableMap(this.properties);
	}

	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

}
