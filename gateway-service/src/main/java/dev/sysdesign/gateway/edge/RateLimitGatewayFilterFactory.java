package dev.sysdesign.gateway.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.cloud.gateway.support.HasRouteId;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.sysdesign.gateway.auth.Identity;
import dev.sysdesign.gateway.problem.ProblemResponses;
import dev.sysdesign.contracts.problems.ProblemTypes;

/**
 * A token bucket per user (per client address when anonymous) and route, in Redis, so
 * that every gateway instance draws from the same bucket: Spring Cloud Gateway's
 * {@link RedisRateLimiter} (its Lua script), with a problem body. Over the limit: 429
 * {@code application/problem+json} with {@code Retry-After} and the {@code X-RateLimit-*}
 * headers. Route filter {@code RateLimit} with {@code replenish-rate} (tokens per second)
 * and {@code burst-capacity}.
 * <p>
 * {@code RedisRateLimiter} lets every request pass when Redis fails. What happens then is
 * the setting {@code platform.edge.rate-limit.redis-unavailable}: {@code allow} (that
 * default, counted and logged) or {@code deny} (503).
 * <p>
 * Metric {@code gateway.ratelimit.requests} counts the requests each route's limit let
 * through ({@code outcome=allowed}) and refused ({@code outcome=rejected}).
 */
@Component
public class RateLimitGatewayFilterFactory extends AbstractGatewayFilterFactory<RateLimitGatewayFilterFactory.Config> {

	private static final Logger log = LoggerFactory.getLogger(RateLimitGatewayFilterFactory.class);

	private static final String BUCKET = "bucket";

	private final ReactiveStringRedisTemplate redis;

	private final RedisScript<List<Long>> script;

	private final ConfigurationService configurationService;

	private final EdgeProperties properties;

	private final ProblemResponses problems;

	private final ClientAddresses clients;

	private final Counter redisUnavailable;

	private final MeterRegistry meters;

	private final AtomicReference<Instant> lastWarning = new AtomicReference<>(Instant.EPOCH);

	public RateLimitGatewayFilterFactory(ReactiveStringRedisTemplate redis, RedisScript<List<Long>> script,
			ConfigurationService configurationService, EdgeProperties properties, ProblemResponses problems,
			ClientAddresses clients, MeterRegistry meters) {
		super(Config.class);
		this.redis = redis;
		this.script = fromText(script);
		this.configurationService = configurationService;
		this.properties = properties;
		this.problems = problems;
		this.clients = clients;
		this.meters = meters;
		this.redisUnavailable = Counter.builder("gateway.ratelimit.redis.unavailable")
			.description("Requests whose rate limit could not be checked because Redis was unreachable")
			.tag("policy", properties.rateLimit().redisUnavailable().name().toLowerCase())
			.register(meters);
	}

	@Override
	public GatewayFilter apply(Config config) {
		RedisRateLimiter limiter = new RedisRateLimiter(this.redis, this.script, this.configurationService);
		limiter.getConfig()
			.put(BUCKET,
					new RedisRateLimiter.Config().setReplenishRate(config.getReplenishRate())
						.setBurstCapacity(config.getBurstCapacity())
						.setRequestedTokens(1));
		long retryAfter = Math.max(1, (long) Math.ceil(1.0 / config.getReplenishRate()));
		Counter allowed = requests(config, "allowed");
		Counter rejected = requests(config, "rejected");
		return (exchange, chain) -> limiter.isAllowed(BUCKET, key(exchange)).flatMap((response) -> {
			exchange.getResponse().getHeaders().setAll(response.getHeaders());
			if (redisFailed(response)) {
				return redisUnavailable(exchange, chain);
			}
			if (response.isAllowed()) {
				allowed.increment();
				return chain.filter(exchange);
			}
			rejected.increment();
			exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
			return this.problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.RATE_LIMITED,
					"Too many requests", "Request rate above " + config.getReplenishRate() + " per second (bursts of "
							+ config.getBurstCapacity() + "); retry after " + retryAfter + " s.",
					Map.of());
		});
	}

	private Counter requests(Config config, String outcome) {
		return Counter.builder("gateway.ratelimit.requests")
			.description("Requests checked against a route's rate limit, by outcome")
			.tag("route", (config.getRouteId() != null) ? config.getRouteId() : "unknown")
			.tag("outcome", outcome)
			.register(this.meters);
	}

	private Mono<Void> redisUnavailable(ServerWebExchange exchange,
			org.springframework.cloud.gateway.filter.GatewayFilterChain chain) {
		this.redisUnavailable.increment();
		Instant now = Instant.now();
		Instant last = this.lastWarning.get();
		if (Duration.between(last, now).toSeconds() >= 10 && this.lastWarning.compareAndSet(last, now)) {
			log.warn("Rate limits cannot be checked: Redis is unreachable; requests are {}",
					(this.properties.rateLimit().redisUnavailable() == EdgeProperties.RedisUnavailable.ALLOW)
							? "allowed (fail open)" : "refused (fail closed)");
		}
		if (this.properties.rateLimit().redisUnavailable() == EdgeProperties.RedisUnavailable.ALLOW) {
			return chain.filter(exchange);
		}
		return this.problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE,
				"Service unavailable", "Rate limits cannot be checked right now; retry shortly.", Map.of());
	}

	/**
	 * The same script, held as text. Spring Cloud Gateway's bean reads it from a
	 * classpath resource, and {@code DefaultRedisScript} asks that resource for its
	 * last-modified time on every execution: inside the executable jar that opens a jar
	 * URL connection per request (seen in a profile of bench/gateway.sh as the gateway's
	 * largest cost).
	 */
	@SuppressWarnings("unchecked")
	private static RedisScript<List<Long>> fromText(RedisScript<List<Long>> script) {
		return (RedisScript<List<Long>>) (RedisScript<?>) RedisScript.of(script.getScriptAsString(),
				(Class<List<Long>>) (Class<?>) List.class);
	}

	/**
	 * {@link RedisRateLimiter} answers "allowed" with {@code -1} tokens left when Redis
	 * failed.
	 */
	private static boolean redisFailed(RateLimiter.Response response) {
		return "-1".equals(response.getHeaders().get(RedisRateLimiter.REMAINING_HEADER));
	}

	private String key(ServerWebExchange exchange) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		String routeId = (route != null) ? route.getId() : "gateway";
		Identity identity = Identity.of(exchange);
		return routeId + ":"
				+ ((identity != null) ? "user:" + identity.userId() : "address:" + this.clients.of(exchange));
	}

	/** A route's limit. */
	public static class Config implements HasRouteId {

		private int replenishRate = 20;

		private @Nullable String routeId;

		@Override
		public void setRouteId(String routeId) {
			this.routeId = routeId;
		}

		@Override
		public @Nullable String getRouteId() {
			return this.routeId;
		}

		private int burstCapacity = 40;

		public int getReplenishRate() {
			return this.replenishRate;
		}

		public void setReplenishRate(int replenishRate) {
			this.replenishRate = replenishRate;
		}

		public int getBurstCapacity() {
			return this.burstCapacity;
		}

		public void setBurstCapacity(int burstCapacity) {
			this.burstCapacity = burstCapacity;
		}

	}

}
