package dev.sysdesign.gateway.edge;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.sysdesign.gateway.problem.ProblemResponses;
import dev.sysdesign.contracts.problems.ProblemTypes;

/**
 * CORS before authentication (a preflight carries no session): answers preflights of
 * allowed origins, refuses cross-origin requests from other origins with a 403 problem,
 * and lets same-origin requests through untouched.
 */
class CrossOriginFilter implements WebFilter, Ordered {

	private final CorsConfigurationSource source;

	private final DefaultCorsProcessor processor = new DefaultCorsProcessor();

	private final ProblemResponses problems;

	CrossOriginFilter(CorsConfigurationSource source, ProblemResponses problems) {
		this.source = source;
		this.problems = problems;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 3;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		CorsConfiguration configuration = this.source.getCorsConfiguration(exchange);
		if (configuration == null || !CorsUtils.isCorsRequest(exchange.getRequest())) {
			return chain.filter(exchange);
		}
		if (!this.processor.process(configuration, exchange)) {
			return this.problems.write(exchange, HttpStatus.FORBIDDEN, ProblemTypes.CROSS_SITE_REQUEST,
					"Cross-site request refused", "Requests from this origin are not allowed.", Map.of());
		}
		return CorsUtils.isPreFlightRequest(exchange.getRequest()) ? Mono.empty() : chain.filter(exchange);
	}

}
