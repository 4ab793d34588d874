package dev.sysdesign.gateway.edge;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import dev.sysdesign.contracts.Headers;

/**
 * Tells downstream services who the client is, on every routed request (HTTP and
 * WebSocket): {@value Headers#CLIENT_ADDRESS} carries the client address the edge derived
 * ({@link ClientAddresses}), replacing anything a client sent. {@code X-Forwarded-Proto}
 * and {@code X-Forwarded-Host} describe the original request (taken from a trusted proxy
 * when there is one). Forwarding chains are not passed on: {@code X-Forwarded-For},
 * {@code Forwarded} and the like never reach a service, which could otherwise be tempted
 * to read them. Runs after Spring Cloud Gateway's own header filters.
 */
@Component
class ForwardedHeadersFilter implements HttpHeadersFilter, Ordered {

	private final ClientAddresses clients;

	ForwardedHeadersFilter(ClientAddresses clients) {
		this.clients = clients;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		boolean trusted = this.clients.fromTrustedProxy(request);
		HttpHeaders incoming = request.getHeaders();
		String proto = trusted ? incoming.getFirst("X-Forwarded-Proto") : null;
		String host = trusted ? incoming.getFirst("X-Forwarded-Host") : null;
		HttpHeaders headers = new HttpHeaders();
		headers.putAll(input);
		headers.remove("Forwarded");
		headers.remove("X-Forwarded-For");
		headers.remove("X-Real-Ip");
		headers.remove("X-Forwarded-Port");
		headers.remove("X-Forwarded-Prefix");
		headers.set(Headers.CLIENT_ADDRESS, this.clients.of(exchange));
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

}
