package dev.sysdesign.gateway.system;

import java.util.UUID;
import java.util.regex.Pattern;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import dev.sysdesign.contracts.Headers;

/**
 * Accepts the caller's {@code X-Request-Id} (or generates one), passes it to the
 * downstream service and echoes it on the response. A supplied id is kept only when it is
 * 1–128 characters of {@code [A-Za-z0-9._:-]}. The id is in the Reactor context of the
 * request's processing, from which context propagation copies it to the {@code requestId}
 * MDC key on whichever thread runs a step: the gateway's log lines carry it as the
 * servlet services' do.
 */
@Component
class RequestIdWebFilter implements WebFilter, Ordered {

	/** Exchange attribute holding the id. */
	static final String ATTRIBUTE = RequestIdWebFilter.class.getName() + ".id";

	/** The MDC key (and Reactor context key) of the id, as in the other services. */
	static final String MDC_KEY = "requestId";

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	RequestIdWebFilter() {
		ContextRegistry.getInstance()
			.registerThreadLocalAccessor(MDC_KEY, () -> MDC.get(MDC_KEY), (id) -> MDC.put(MDC_KEY, id),
					() -> MDC.remove(MDC_KEY));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String candidate = exchange.getRequest().getHeaders().getFirst(Headers.REQUEST_ID);
		String requestId = (candidate != null && VALID.matcher(candidate).matches()) ? candidate
				: UUID.randomUUID().toString();
		ServerHttpRequest request = exchange.getRequest()
			.mutate()
			.headers((headers) -> headers.set(Headers.REQUEST_ID, requestId))
			.build();
		exchange.getAttributes().put(ATTRIBUTE, requestId);
		exchange.getResponse().getHeaders().set(Headers.REQUEST_ID, requestId);
		exchange.getResponse().beforeCommit(() -> {
			exchange.getResponse().getHeaders().set(Headers.REQUEST_ID, requestId);
			return Mono.empty();
		});
		return chain.filter(exchange.mutate().request(request).build()).contextWrite(Context.of(MDC_KEY, requestId));
	}

}
