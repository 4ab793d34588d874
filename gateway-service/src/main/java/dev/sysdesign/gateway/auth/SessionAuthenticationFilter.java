package dev.sysdesign.gateway.auth;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.sysdesign.gateway.problem.ProblemResponses;
import dev.sysdesign.redis.session.SessionFormat;
import dev.sysdesign.redis.session.SessionReference;
import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.contracts.Headers;

/**
 * Authenticates every request at the edge, for routed paths and the gateway's own
 * handlers alike:
 * <ol>
 * <li>removes every client-supplied {@code X-User-*} header;</li>
 * <li>finds the session id in {@code X-Auth-Token} or the {@code SESSION} cookie;</li>
 * <li>refuses a cookie-authenticated state-changing request (or WebSocket handshake) from
 * another origin with 403;</li>
 * <li>reads the session from Redis ({@link GatewaySessions}) and sets {@code X-User-Id}
 * and {@code X-User-Roles} for the services behind, and on a WebSocket handshake also the
 * session's opaque reference and remaining lifetime ({@link SessionReference}), so that
 * the service can close the connection when the session ends;</li>
 * <li>answers 401 on a protected path without a valid session, and 503 with
 * {@code Retry-After} when Redis cannot be reached there (never 401, which would make
 * clients drop a valid token).</li>
 * </ol>
 */
@Component
class SessionAuthenticationFilter implements WebFilter, Ordered {

	private static final Logger log = LoggerFactory.getLogger(SessionAuthenticationFilter.class);

	private static final Set<HttpMethod> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.TRACE);

	private final GatewaySessions sessions;

	private final AuthProperties properties;

	private final ProblemResponses problems;

	private final List<PathPattern> protectedPaths;

	private final List<Map.Entry<HttpMethod, PathPattern>> publicEndpoints;

	private final List<PathPattern> staticPaths;

	SessionAuthenticationFilter(GatewaySessions sessions, AuthProperties properties, ProblemResponses problems) {
		this.sessions = sessions;
		this.properties = properties;
		this.problems = problems;
		PathPatternParser parser = PathPatternParser.defaultInstance;
		this.protectedPaths = properties.protectedPaths().stream().map(parser::parse).toList();
		this.staticPaths = properties.staticPaths().stream().map(parser::parse).toList();
		this.publicEndpoints = properties.publicEndpoints().stream().map((endpoint) -> {
			String[] parts = endpoint.trim().split("\\s+", 2);
			return Map.entry(HttpMethod.valueOf(parts[0]), parser.parse(parts[1]));
		}).toList();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (matchesAny(this.staticPaths, request)) {
			return chain.filter(exchange);
		}
		ServerWebExchange anonymous = withIdentityHeaders(exchange, null);
		if (!this.properties.enabled()) {
			return chain.filter(anonymous);
		}
		boolean required = isProtected(request);
		Token token = token(request);
		if (token == null) {
			return required ? unauthenticated(exchange) : chain.filter(anonymous);
		}
		if (token.fromCookie() && crossSite(request)) {
			return this.problems.write(exchange, HttpStatus.FORBIDDEN, ProblemTypes.CROSS_SITE_REQUEST,
					"Cross-site request refused",
					"Cookie-authenticated requests that change state must come from the console's own origin.",
					Map.of());
		}
		return this.sessions.authenticate(token.value())
			.map(SessionCheck::valid)
			.defaultIfEmpty(SessionCheck.INVALID)
			.onErrorResume((ex) -> {
				if (isUnreadableSession(ex)) {
					log.warn("Unreadable session refused for {}: {}", request.getPath(), ex.toString());
					return Mono.just(SessionCheck.INVALID);
				}
				log.warn("Sessions unavailable for {}: {}", request.getPath(), ex.toString());
				return Mono.just(SessionCheck.UNAVAILABLE);
			})
			.flatMap((check) -> switch (check.state()) {
				case VALID -> {
					exchange.getAttributes().put(Identity.ATTRIBUTE, check.identity());
					yield chain.filter(withIdentityHeaders(exchange, check.identity()));
				}
				case INVALID -> required ? unauthenticated(exchange) : chain.filter(anonymous);
				case UNAVAILABLE -> required
						? this.problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE,
								"Service unavailable", "Sessions cannot be checked right now; retry shortly.", Map.of())
						: chain.filter(anonymous);
			});
	}

	/**
	 * Whether a failure means that the session exists but cannot be read — a partial or
	 * garbled hash, a key of another type — which is no valid session (401, never a 500).
	 * Anything else means the session store cannot be reached or did not answer in time
	 * (503: the client keeps its token and retries).
	 */
	private static boolean isUnreadableSession(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof org.springframework.data.redis.serializer.SerializationException
					|| current instanceof IllegalStateException || current instanceof IllegalArgumentException
					|| current instanceof ClassCastException || current instanceof NullPointerException
					|| (current instanceof io.lettuce.core.RedisCommandExecutionException
							&& String.valueOf(current.getMessage()).startsWith("WRONGTYPE"))) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

	private Mono<Void> unauthenticated(ServerWebExchange exchange) {
		return this.problems.write(exchange, HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHENTICATED, "Not authenticated",
				"Log in first: this call needs a valid session (cookie SESSION or header X-Auth-Token).", Map.of());
	}

	private boolean isProtected(ServerHttpRequest request) {
		PathContainer path = request.getPath().pathWithinApplication();
		for (Map.Entry<HttpMethod, PathPattern> endpoint : this.publicEndpoints) {
			if (endpoint.getKey().equals(request.getMethod()) && endpoint.getValue().matches(path)) {
				return false;
			}
		}
		return matchesAny(this.protectedPaths, request);
	}

	private static boolean matchesAny(List<PathPattern> patterns, ServerHttpRequest request) {
		PathContainer path = request.getPath().pathWithinApplication();
		for (PathPattern pattern : patterns) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A cookie-authenticated request from another origin that changes state, or a
	 * WebSocket handshake from another origin. Requests without {@code Origin} (curl, API
	 * clients) pass.
	 */
	private boolean crossSite(ServerHttpRequest request) {
		if (SAFE_METHODS.contains(request.getMethod()) && !isWebSocketHandshake(request)) {
			return false;
		}
		String fetchSite = request.getHeaders().getFirst("Sec-Fetch-Site");
		if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
			return true;
		}
		String origin = request.getHeaders().getOrigin();
		if (origin == null) {
			return false;
		}
		if (this.properties.allowedOrigins().contains(origin)) {
			return false;
		}
		try {
			String authority = URI.create(origin).getAuthority();
			String host = request.getHeaders().getFirst(HttpHeaders.HOST);
			return authority == null || !authority.equalsIgnoreCase(host);
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
	}

	private static @Nullable Token token(ServerHttpRequest request) {
		String header = request.getHeaders().getFirst(Headers.AUTH_TOKEN);
		if (header != null && !header.isBlank()) {
			return new Token(header.trim(), false);
		}
		HttpCookie cookie = request.getCookies().getFirst(SessionFormat.COOKIE);
		if (cookie != null && !cookie.getValue().isBlank()) {
			return new Token(cookie.getValue(), true);
		}
		return null;
	}

	private static boolean isWebSocketHandshake(ServerHttpRequest request) {
		return "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade());
	}

	private static ServerWebExchange withIdentityHeaders(ServerWebExchange exchange, @Nullable Identity identity) {
		boolean websocket = isWebSocketHandshake(exchange.getRequest());
		ServerHttpRequest request = exchange.getRequest().mutate().headers((headers) -> {
			headers.headerNames()
				.stream()
				.filter((name) -> name.regionMatches(true, 0, Headers.USER_PREFIX, 0, Headers.USER_PREFIX.length()))
				.toList()
				.forEach(headers::remove);
			if (identity != null) {
				headers.set(Headers.USER_ID, identity.userId());
				headers.set(Headers.USER_ROLES, String.join(",", identity.roles()));
				if (websocket) {
					long ttl = Math.max(0, Duration.between(Instant.now(), identity.expiresAt()).toSeconds());
					headers.set(Headers.USER_SESSION, SessionReference.of(identity.sessionId()));
					headers.set(Headers.USER_SESSION_TTL, Long.toString(ttl));
				}
			}
		}).build();
		return exchange.mutate().request(request).build();
	}

	private record Token(String value, boolean fromCookie) {
	}

	private record SessionCheck(State state, @Nullable Identity identity) {

		static final SessionCheck INVALID = new SessionCheck(State.INVALID, null);

		static final SessionCheck UNAVAILABLE = new SessionCheck(State.UNAVAILABLE, null);

		static SessionCheck valid(Identity identity) {
			return new SessionCheck(State.VALID, identity);
		}

		enum State {

			VALID, INVALID, UNAVAILABLE

		}

	}

}
