package dev.sysdesign.gateway.system;

import java.net.InetSocketAddress;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells downstream services who the client is: {@code X-Forwarded-For},
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} on every routed request (HTTP
 * and WebSocket). Services trust these headers (login throttling counts failures per
 * client address), so what a client sends is discarded unless the request comes from a
 * trusted proxy in front of the gateway ({@code platform.edge.trusted-proxies}, a regular
 * expression of addresses); then the client's address is appended to the chain it sent.
 * Runs after Spring Cloud Gateway's own header filters, which strip forwarded headers.
 */
@Component
public class ForwardedHeadersFilter implements HttpHeadersFilter, Ordered {

	static final String FORWARDED_FOR = "X-Forwarded-For";

	private final Pattern trustedProxies;

	ForwardedHeadersFilter(@Value("${platform.edge.trusted-proxies:}") String trustedProxies) {
		this.trustedProxies = trustedProxies.isBlank() ? null : Pattern.compile(trustedProxies);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		String client = clientAddress(request);
		boolean trusted = this.trustedProxies != null && this.trustedProxies.matcher(client).matches();
		HttpHeaders incoming = request.getHeaders();
		String chain = trusted ? incoming.getFirst(FORWARDED_FOR) : null;
		String proto = trusted ? incoming.getFirst("X-Forwarded-Proto") : null;
		String host = trusted ? incoming.getFirst("X-Forwarded-Host") : null;
		HttpHeaders headers = new HttpHeaders();
		headers.putAll(input);
		headers.remove("Forwarded");
		headers.remove("X-Forwarded-Port");
		headers.remove("X-Forwarded-Prefix");
		headers.set(FORWARDED_FOR, (chain != null && !chain.isBlank()) ? chain + ", " + client : client);
		headers.set("X-Forwarded-Proto", (proto != null) ? proto : request.getURI().getScheme());
		String originalHost = (host != null) ? host : incoming.getFirst(HttpHeaders.HOST);
		if (originalHost != null) {
			headers.set("X-Forwarded-Host", originalHost);
		}
		else {
			headers.remove("X-Forwarded-Host");
		}
		return headers;
	}

	@Override
	public boolean supports(Type type) {
		return type == Type.REQUEST;
	}

	/**
	 * The address of the client connected to the gateway.
	 * @param request the request
	 * @return its remote address, or {@code "unknown"}
	 */
	public static String clientAddress(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		return (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : "unknown";
	}

}
