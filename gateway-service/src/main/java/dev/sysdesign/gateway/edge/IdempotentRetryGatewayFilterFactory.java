package dev.sysdesign.gateway.edge;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;

import io.netty.channel.ConnectTimeoutException;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import dev.sysdesign.contracts.Headers;

/**
 * Retries an idempotent request — {@code GET}, {@code HEAD}, or a {@code POST} with an
 * {@code Idempotency-Key} to a path whose service honours that key
 * ({@code idempotent-posts}, path patterns; none by default) — once when its instance
 * cannot be reached or answers 502/503. The load balancer then skips the instance already
 * tried, so the retry goes to the key's next-ranked instance. Other requests are never
 * retried: a header alone does not make a {@code POST} safe to repeat (a restock sent
 * with one would be applied twice). Route filter {@code IdempotentRetry}.
 */
@Component
public class IdempotentRetryGatewayFilterFactory
		extends AbstractGatewayFilterFactory<IdempotentRetryGatewayFilterFactory.Config> {

	public IdempotentRetryGatewayFilterFactory() {
		super(Config.class);
	}

	@Override
	public GatewayFilter apply(Config config) {
		RetryGatewayFilterFactory.RetryConfig retry = new RetryGatewayFilterFactory.RetryConfig();
		retry.setRetries(config.getRetries());
		retry.setStatuses(HttpStatus.BAD_GATEWAY, HttpStatus.SERVICE_UNAVAILABLE);
		retry.setMethods(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST);
		retry.setSeries();
		retry.setExceptions(ConnectException.class, ConnectTimeoutException.class, PrematureCloseException.class,
				IOException.class);
		GatewayFilter retrying = new RetryGatewayFilterFactory().apply(retry);
		List<PathPattern> idempotentPosts = config.getIdempotentPosts()
			.stream()
			.map(PathPatternParser.defaultInstance::parse)
			.toList();
		return (exchange, chain) -> {
			if (!idempotent(exchange.getRequest(), idempotentPosts)) {
				return chain.filter(exchange);
			}
			if (HttpMethod.POST.equals(exchange.getRequest().getMethod())) {
				// a retry sends the body again: keep it (bodies are at most
				// platform.edge.max-body-size)
				return ServerWebExchangeUtils.cacheRequestBody(exchange,
						(cached) -> retrying.filter(exchange.mutate().request(cached).build(), chain));
			}
			return retrying.filter(exchange, chain);
		};
	}

	private static boolean idempotent(ServerHttpRequest request, List<PathPattern> idempotentPosts) {
		HttpMethod method = request.getMethod();
		if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
			return true;
		}
		if (!HttpMethod.POST.equals(method) || request.getHeaders().getFirst(Headers.IDEMPOTENCY_KEY) == null) {
			return false;
		}
		PathContainer path = request.getPath().pathWithinApplication();
		return idempotentPosts.stream().anyMatch((pattern) -> pattern.matches(path));
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("retries");
	}

	/** How often to retry, and which POSTs honour {@code Idempotency-Key}. */
	public static class Config {

		private int retries = 1;

		private List<String> idempotentPosts = List.of();

		public int getRetries() {
			return this.retries;
		}

		public void setRetries(int retries) {
			this.retries = retries;
		}

		public List<String> getIdempotentPosts() {
			return this.idempotentPosts;
		}

		public void setIdempotentPosts(List<String> idempotentPosts) {
			this.idempotentPosts = List.copyOf(idempotentPosts);
		}

	}

}
