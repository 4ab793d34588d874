package dev.sysdesign.support.web;

import java.net.URI;

/**
 * Stable {@code type} URIs of the platform's problem details (RFC 9457). They are
 * relative references, resolved against the API's own address; {@code docs/problems.md}
 * describes each of them.
 */
public final class ProblemTypes {

	public static final URI VALIDATION = of("validation");

	public static final URI MALFORMED_REQUEST = of("malformed-request");

	public static final URI NOT_FOUND = of("not-found");

	public static final URI UNAUTHENTICATED = of("unauthenticated");

	public static final URI FORBIDDEN = of("forbidden");

	public static final URI METHOD_NOT_ALLOWED = of("method-not-allowed");

	public static final URI UNSUPPORTED_MEDIA_TYPE = of("unsupported-media-type");

	public static final URI NOT_ACCEPTABLE = of("not-acceptable");

	public static final URI PAYLOAD_TOO_LARGE = of("payload-too-large");

	public static final URI CONFLICT = of("conflict");

	public static final URI UNAVAILABLE = of("unavailable");

	public static final URI INTERNAL = of("internal");

	private ProblemTypes() {
	}

	/**
	 * Returns the type URI for a problem name.
	 * @param name the lowercase, hyphenated problem name
	 * @return {@code /problems/<name>}
	 */
	public static URI of(String name) {
		return URI.create("/problems/" + name);
	}

	/**
	 * Returns the platform's type URI for a generic HTTP status.
	 * @param status the status code
	 * @return the matching type
	 */
	public static URI forStatus(int status) {
		return switch (status) {
			case 400 -> MALFORMED_REQUEST;
			case 401 -> UNAUTHENTICATED;
			case 403 -> FORBIDDEN;
			case 404 -> NOT_FOUND;
			case 405 -> METHOD_NOT_ALLOWED;
			case 406 -> NOT_ACCEPTABLE;
			case 409 -> CONFLICT;
			case 413 -> PAYLOAD_TOO_LARGE;
			case 415 -> UNSUPPORTED_MEDIA_TYPE;
			case 503 -> UNAVAILABLE;
			default -> (status >= 500) ? INTERNAL : of("http-" + status);
		};
	}

}
