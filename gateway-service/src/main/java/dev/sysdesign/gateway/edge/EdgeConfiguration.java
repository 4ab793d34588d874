package dev.sysdesign.gateway.edge;

import java.time.Duration;
import java.util.List;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4jBulkheadProvider;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4jBulkheadConfigurationBuilder;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

import dev.sysdesign.gateway.problem.ProblemResponses;
import dev.sysdesign.contracts.Headers;

/**
 * Circuit breakers and CORS. CORS for the console's origins only: the console is served
 * by the gateway itself (same origin, no CORS at all), so by default no other origin may
 * call the API from a browser; {@code platform.edge.console-origins} names the exceptions
 * (a console served from elsewhere).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EdgeProperties.class)
class EdgeConfiguration {

	@Bean
	Customizer<ReactiveResilience4JCircuitBreakerFactory> circuitBreakerDefaults(EdgeProperties properties) {
		EdgeProperties.Breaker breaker = properties.breaker();
		return (factory) -> factory.configureDefault((id) -> new Resilience4JConfigBuilder(id)
			.circuitBreakerConfig(CircuitBreakerConfig.custom()
				.failureRateThreshold(breaker.failureRateThreshold())
				.slidingWindowSize(breaker.slidingWindowSize())
				.minimumNumberOfCalls(breaker.minimumCalls())
				.waitDurationInOpenState(breaker.waitInOpenState())
				.permittedNumberOfCallsInHalfOpenState(3)
				.build())
			.timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(breaker.timeout()).build())
			.build());
	}

	/**
	 * Spring Cloud CircuitBreaker also wraps every route in a Resilience4j bulkhead, 25
	 * concurrent calls by default: far too few for a gateway, where a call in flight
	 * costs no thread. The limit is configuration; calls beyond it get 503.
	 */
	@Bean
	Customizer<ReactiveResilience4jBulkheadProvider> bulkheadDefaults(EdgeProperties properties) {
		BulkheadConfig bulkhead = BulkheadConfig.custom()
			.maxConcurrentCalls(properties.breaker().maxConcurrentCalls())
			.maxWaitDuration(Duration.ZERO)
			.build();
		return (provider) -> provider
			.configureDefault((id) -> new Resilience4jBulkheadConfigurationBuilder().bulkheadConfig(bulkhead).build());
	}

	@Bean
	CrossOriginFilter crossOriginFilter(EdgeProperties properties, ProblemResponses problems) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(properties.consoleOrigins());
		cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
		cors.setAllowedHeaders(
				List.of("Content-Type", Headers.AUTH_TOKEN, Headers.IDEMPOTENCY_KEY, Headers.REQUEST_ID));
		cors.setExposedHeaders(List.of("Location", Headers.REQUEST_ID, Headers.AUTH_TOKEN, "Retry-After",
				"X-RateLimit-Remaining", "X-RateLimit-Replenish-Rate", "X-RateLimit-Burst-Capacity"));
		cors.setAllowCredentials(!properties.consoleOrigins().isEmpty());
		cors.setMaxAge(Duration.ofHours(1));
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/api/**", cors);
		source.registerCorsConfiguration("/ws/**", cors);
		return new CrossOriginFilter(source, problems);
	}

}
