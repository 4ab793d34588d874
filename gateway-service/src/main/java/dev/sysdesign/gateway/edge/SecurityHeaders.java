package dev.sysdesign.gateway.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The browser-facing security headers of every response the gateway sends — the console,
 * its assets, the API (routed or answered here), errors:
 * <ul>
 * <li>{@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer},
 * {@code X-Frame-Options: DENY}, {@code Cross-Origin-Opener-Policy: same-origin};</li>
 * <li>{@code Content-Security-Policy}: the console page sets its own
 * ({@link #consolePolicy(String)}: scripts, styles and connections from its own origin
 * only, the inline import map by its hash, no framing, on its 304s too); every other
 * response but a 304 gets {@value #API_POLICY}, which loads nothing;</li>
 * <li>{@code Strict-Transport-Security} when the request reached the edge over HTTPS
 * (directly, or as a trusted proxy's {@code X-Forwarded-Proto: https} says): never over
 * plain HTTP, where it would mean nothing and could lock a local setup out.</li>
 * </ul>
 */
@Component
public class SecurityHeaders implements WebFilter, Ordered {

	/** The policy header. */
	public static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";

	/** The policy of everything but the console page: a response that loads nothing. */
	static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

	private final ClientAddresses clients;

	SecurityHeaders(ClientAddresses clients) {
		this.clients = clients;
	}

	/**
	 * The console page's policy.
	 * @param importMap the page's inline import map, exactly as it stands between its
	 * script tags
	 * @return the policy
	 */
	public static String consolePolicy(String importMap) {
		return "default-src 'self'; script-src 'self' '" + sha256(importMap)
				+ "'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
				+ "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpResponse response = exchange.getResponse();
		boolean https = "https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme())
				|| (this.clients.fromTrustedProxy(exchange.getRequest())
						&& "https".equalsIgnoreCase(exchange.getRequest().getHeaders().getFirst("X-Forwarded-Proto")));
		response.beforeCommit(() -> {
			HttpHeaders headers = response.getHeaders();
			headers.set("X-Content-Type-Options", "nosniff");
			headers.set("Referrer-Policy", "no-referrer");
			headers.set("X-Frame-Options", "DENY");
			headers.set("Cross-Origin-Opener-Policy", "same-origin");
			// a 304 updates the headers of the client's cached copy: it keeps the policy
			// its
			// handler gave it, or the one the copy came with
			if (!headers.containsHeader(CONTENT_SECURITY_POLICY)
					&& !HttpStatus.NOT_MODIFIED.equals(response.getStatusCode())) {
				headers.set(CONTENT_SECURITY_POLICY, API_POLICY);
			}
			if (https) {
				headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
			}
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	private static String sha256(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return "sha256-" + Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
