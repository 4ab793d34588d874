package dev.sysdesign.gateway.edge;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.sysdesign.gateway.problem.ProblemResponses;
import dev.sysdesign.contracts.problems.ProblemTypes;

/**
 * Refuses request bodies larger than {@code platform.edge.max-body-size} (1 MiB by
 * default) with 413: at once when {@code Content-Length} says so, and while streaming for
 * chunked bodies without a length.
 */
@Component
class RequestBodyLimitFilter implements WebFilter, Ordered {

	private final long limit;

	private final ProblemResponses problems;

	RequestBodyLimitFilter(EdgeProperties properties, ProblemResponses problems) {
		this.limit = properties.maxBodySize().toBytes();
		this.problems = problems;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 5;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long length = exchange.getRequest().getHeaders().getContentLength();
		if (length > this.limit) {
			return tooLarge(exchange);
		}
		if (length >= 0) {
			return chain.filter(exchange);
		}
		ServerHttpRequest limited = new ServerHttpRequestDecorator(exchange.getRequest()) {
			@Override
			public Flux<DataBuffer> getBody() {
				AtomicLong read = new AtomicLong();
				return super.getBody().map((buffer) -> {
					if (read.addAndGet(buffer.readableByteCount()) > RequestBodyLimitFilter.this.limit) {
						DataBufferUtils.release(buffer);
						throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE);
					}
					return buffer;
				});
			}
		};
		return chain.filter(exchange.mutate().request(limited).build());
	}

	private Mono<Void> tooLarge(ServerWebExchange exchange) {
		return this.problems.write(exchange, HttpStatus.PAYLOAD_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
				"Payload too large",
				"The request body is larger than the " + this.limit + " bytes the gateway accepts.", Map.of());
	}

}
