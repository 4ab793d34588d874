package dev.sysdesign.gateway.system;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * {@code Vary: Accept-Encoding} on every answer: the server gzips text for clients that
 * accept it ({@code server.compression}), so a shared cache (CDN, proxy) in front of the
 * gateway must keep the two forms apart.
 */
@Component
class VaryOnEncodingFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> {
			if (!response.getHeaders().getVary().contains(HttpHeaders.ACCEPT_ENCODING)) {
				response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
			}
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

}
