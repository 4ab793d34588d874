package dev.sysdesign.orders.live;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import dev.sysdesign.redis.session.SessionReference;
import dev.sysdesign.support.identity.Caller;
import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.contracts.Headers;

/**
 * Admits a {@code /ws/orders} handshake only with what the gateway states after checking
 * the session: the user ({@code X-User-Id}), the session's opaque reference
 * ({@code X-User-Session}) and its remaining lifetime ({@code X-User-Session-Ttl}).
 * Without them the answer is a 401 problem; a user at the connection limit gets 429, and
 * an instance shutting down 503 (both with {@code Retry-After}).
 * <p>
 * The {@code Origin} is not checked here: the gateway refuses cross-site handshakes
 * before they reach a service.
 */
class IdentityHandshake implements HandshakeInterceptor {

	static final String USER_ID = "live.userId";

	static final String SESSION = "live.session";

	static final String SESSION_TTL = "live.sessionTtl";

	private final LiveConnections connections;

	private final JsonMapper json;

	private final String service;

	IdentityHandshake(LiveConnections connections, JsonMapper json, String service) {
		this.connections = connections;
		this.json = json;
		this.service = service;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) throws IOException {
		HttpHeaders headers = request.getHeaders();
		Caller caller = Caller.fromHeaders(headers.getFirst(Headers.USER_ID), headers.getFirst(Headers.USER_ROLES));
		String session = headers.getFirst(Headers.USER_SESSION);
		Duration ttl = ttl(headers.getFirst(Headers.USER_SESSION_TTL));
		if (caller == null || session == null || session.isBlank() || session.length() > 128 || ttl == null) {
			refuse(request, response, HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHENTICATED, "Not authenticated",
					"Log in first: this call needs an authenticated session.", null);
			return false;
		}
		if (!this.connections.accepting()) {
			refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Service unavailable",
					"This instance is shutting down; connect again.", 1L);
			return false;
		}
		if (!this.connections.hasRoomFor(caller.userId())) {
			refuse(request, response, HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.TOO_MANY_CONNECTIONS,
					"Too many connections", "This user already holds the maximum of live connections.", 5L);
			return false;
		}
		attributes.put(USER_ID, caller.userId());
		attributes.put(SESSION, session);
		attributes.put(SESSION_TTL, ttl);
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			@Nullable Exception exception) {
	}

	private static @Nullable Duration ttl(@Nullable String seconds) {
		if (seconds == null || seconds.isBlank() || seconds.length() > 12) {
			return null;
		}
		try {
			long value = Long.parseLong(seconds.trim());
			return (value > 0) ? Duration.ofSeconds(value) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private void refuse(ServerHttpRequest request, ServerHttpResponse response, HttpStatus status, URI type,
			String title, String detail, @Nullable Long retryAfterSeconds) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", type.toString());
		problem.put("title", title);
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getURI().getPath());
		problem.put("service", this.service);
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (retryAfterSeconds != null) {
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfterSeconds.toString());
		}
		response.getBody().write(this.json.writeValueAsBytes(problem));
	}

}
