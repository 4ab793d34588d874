package dev.sysdesign.gateway.edge;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Edge hygiene.
 *
 * @param maxBodySize the largest request body accepted (413 beyond)
 * @param consoleOrigins origins other than the gateway's own that may call the API from a
 * browser (CORS); none by default, the console is served by the gateway itself
 * @param rateLimit what the rate limiter does without Redis
 * @param breaker the circuit breaker of each route
 * @param trustedProxies the proxies in front of the gateway whose forwarding header is
 * believed, as networks ({@code 10.0.0.0/8}) or addresses; none by default (the TCP peer
 * is the client)
 * @param forwardedHeader the header those proxies append the client to
 */
@ConfigurationProperties("platform.edge")
public record EdgeProperties(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue List<String> consoleOrigins,
		@DefaultValue RateLimit rateLimit, @DefaultValue Breaker breaker, @DefaultValue List<String> trustedProxies,
		@DefaultValue("x-forwarded-for") ForwardedHeader forwardedHeader) {

	public EdgeProperties {
		// fail at start-up on a malformed network, not on the first request
		TrustedProxies.of(trustedProxies);
	}

	/** The forwarding header trusted proxies write. */
	public enum ForwardedHeader {

		/**
		 * {@code X-Forwarded-For: client, proxy1, proxy2} (ingress-nginx, Envoy, AWS
		 * ALB).
		 */
		X_FORWARDED_FOR("X-Forwarded-For"),
		/** RFC 7239 {@code Forwarded: for=client, for=proxy1}. */
		FORWARDED("Forwarded");

		private final String headerName;

		ForwardedHeader(String headerName) {
			this.headerName = headerName;
		}

		String headerName() {
			return this.headerName;
		}

	}

	/**
	 * The circuit breaker of each route (Resilience4j): it opens when too many calls fail
	 * (the instance unreachable or too slow), answers 503 while open, and lets a few
	 * calls through after {@code waitInOpenState} to test recovery.
	 *
	 * @param failureRateThreshold percentage of failed calls that opens it
	 * @param slidingWindowSize calls it looks at
	 * @param minimumCalls calls before it may open
	 * @param waitInOpenState how long it stays open
	 * @param timeout how long a call may take before it counts as failed (504)
	 * @param maxConcurrentCalls calls in flight per route (the bulkhead); more get 503
	 */
	public record Breaker(@DefaultValue("50") float failureRateThreshold, @DefaultValue("20") int slidingWindowSize,
			@DefaultValue("10") int minimumCalls, @DefaultValue("5s") java.time.Duration waitInOpenState,
			@DefaultValue("10s") java.time.Duration timeout, @DefaultValue("2000") int maxConcurrentCalls) {
	}

	/**
	 * Rate limiting.
	 *
	 * @param redisUnavailable {@code allow}: requests pass while Redis is unreachable
	 * (fail open: availability first; counted in
	 * {@code gateway.ratelimit.redis.unavailable} and logged); {@code deny}: they get 503
	 * (fail closed: protection first)
	 */
	public record RateLimit(@DefaultValue("allow") RedisUnavailable redisUnavailable) {
	}

	/** The rate limiter's behaviour while Redis is unreachable. */
	public enum RedisUnavailable {

		/** Let requests pass (fail open). */
		ALLOW,
		/** Refuse them with 503 (fail closed). */
		DENY

	}

}
