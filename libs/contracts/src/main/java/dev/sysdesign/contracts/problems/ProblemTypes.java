package dev.sysdesign.contracts.problems;

import java.net.URI;

/**
 * Stable {@code type} URIs of the platform's problem details (RFC 9457), the same from
 * the gateway and from every service. They are relative references, resolved against the
 * API's own address; {@code docs/problems.md} describes each of them.
 */
public final class ProblemTypes {

	// generic: any service, any endpoint

	/** 400: invalid fields, parameters or headers (see {@code errors}). */
	public static final URI VALIDATION = of("validation");

	/** 400: the body is not JSON, or missing. */
	public static final URI MALFORMED_REQUEST = of("malformed-request");

	/** 401: no valid session. */
	public static final URI UNAUTHENTICATED = of("unauthenticated");

	/** 403: the caller lacks the role. */
	public static final URI FORBIDDEN = of("forbidden");

	/** 404: no such resource (also another user's). */
	public static final URI NOT_FOUND = of("not-found");

	/** 405. */
	public static final URI METHOD_NOT_ALLOWED = of("method-not-allowed");

	/** 406. */
	public static final URI NOT_ACCEPTABLE = of("not-acceptable");

	/** 409: a conflict without a more specific type. */
	public static final URI CONFLICT = of("conflict");

	/** 413: the body is larger than the gateway accepts. */
	public static final URI PAYLOAD_TOO_LARGE = of("payload-too-large");

	/** 415: the body is not {@code application/json}. */
	public static final URI UNSUPPORTED_MEDIA_TYPE = of("unsupported-media-type");

	/** 500: an unexpected error. */
	public static final URI INTERNAL = of("internal");

	/** 503: no ready instance, or an indispensable dependency is unreachable. */
	public static final URI UNAVAILABLE = of("unavailable");

	// the edge (gateway-service)

	/** 403: a cookie-authenticated state-changing request from another origin. */
	public static final URI CROSS_SITE_REQUEST = of("cross-site-request");

	/** 429: the caller's request rate is above its limit. */
	public static final URI RATE_LIMITED = of("rate-limited");

	/** 504: the service behind the gateway did not answer in time. */
	public static final URI TIMEOUT = of("timeout");

	// accounts and sessions (session-service)

	/** 401: unknown username or wrong password (one answer for both). */
	public static final URI BAD_CREDENTIALS = of("bad-credentials");

	/** 409: registration with a name that exists. */
	public static final URI USERNAME_TAKEN = of("username-taken");

	/** 429: login lock-out after repeated failures. */
	public static final URI TOO_MANY_LOGIN_ATTEMPTS = of("too-many-login-attempts");

	// orders and the catalog (order-service)

	/** 409: a product has fewer units than ordered. */
	public static final URI INSUFFICIENT_STOCK = of("insufficient-stock");

	/** 409: the order is no longer {@code PENDING}. */
	public static final URI ORDER_STATE = of("order-state");

	/** 409: a request with the same {@code Idempotency-Key} is still running. */
	public static final URI IDEMPOTENCY_KEY_IN_FLIGHT = of("idempotency-key-in-flight");

	/** 409: a concurrent change or lock; retry. */
	public static final URI BUSY = of("busy");

	/** 422: skus that are not in the catalog. */
	public static final URI UNKNOWN_PRODUCT = of("unknown-product");

	/** 422: an {@code Idempotency-Key} sent again with a different body. */
	public static final URI IDEMPOTENCY_KEY_REUSED = of("idempotency-key-reused");

	/** 429: a user holds the maximum of live connections on the instance. */
	public static final URI TOO_MANY_CONNECTIONS = of("too-many-connections");

	// batch jobs (worker-service)

	/** 409: a dead letter that was replayed already. */
	public static final URI DEAD_LETTER_REPLAYED = of("dead-letter-replayed");

	/** 404: no report for that day (yet). */
	public static final URI REPORT_NOT_GENERATED = of("report-not-generated");

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
