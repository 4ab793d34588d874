package dev.sysdesign.gateway.system;

import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.netty.channel.ConnectTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.gateway.problem.ProblemResponses;

/**
 * Renders every error the gateway itself answers as an RFC 9457 problem: unknown paths
 * (404), no ready instance or an unreachable one (503 with {@code Retry-After}), a
 * downstream timeout (504), and anything unexpected (500, logged). Problems that
 * downstream services answer pass through untouched.
 */
@Component
@Order(-2)
class ProblemErrorHandler implements ErrorWebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

	private final ProblemResponses problems;

	ProblemErrorHandler(ProblemResponses problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		Problem problem = classify(ex);
		if (problem.status().is5xxServerError() && problem.status().value() != 503 && problem.status().value() != 504) {
			log.error("Unexpected error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
					ex);
		}
		else {
			log.debug("{} on {}: {}", problem.status(), exchange.getRequest().getPath(), ex.toString());
		}
		return this.problems.write(exchange, problem.status(), problem.type(), problem.title(), problem.detail(),
				Map.of());
	}

	private static Problem classify(Throwable ex) {
		if (ex instanceof CallNotPermittedException
				|| ex instanceof org.springframework.cloud.gateway.support.ServiceUnavailableException) {
			return new Problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Service unavailable",
					"The service is failing; calls to it are paused for a few seconds (circuit open).");
		}
		if (ex instanceof BulkheadFullException) {
			return new Problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Service unavailable",
					"Too many calls to the service are in flight; retry shortly.");
		}
		if (ex instanceof NotFoundException) {
			return new Problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Service unavailable",
					"No instance of the service is ready; retry shortly.");
		}
		if (hasCause(ex, ConnectException.class) || hasCause(ex, ConnectTimeoutException.class)) {
			return new Problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Service unavailable",
					"The service instance could not be reached; retry shortly.");
		}
		if (hasCause(ex, TimeoutException.class)) {
			return new Problem(HttpStatus.GATEWAY_TIMEOUT, ProblemTypes.TIMEOUT, "Gateway timeout",
					"The service did not answer in time.");
		}
		if (ex instanceof ResponseStatusException status) {
			HttpStatusCode code = status.getStatusCode();
			return switch (code.value()) {
				case 404 -> new Problem(code, ProblemTypes.NOT_FOUND, "Not found", "No resource at this path.");
				case 405 -> new Problem(code, ProblemTypes.METHOD_NOT_ALLOWED, "Method not allowed",
						"This path does not accept this method.");
				case 413 -> new Problem(code, ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large",
						"The request body is larger than the gateway accepts.");
				case 415 -> new Problem(code, ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
						"This path does not accept this content type.");
				default -> new Problem(code, ProblemTypes.forStatus(code.value()),
						(status.getReason() != null) ? status.getReason() : "Error",
						(status.getReason() != null) ? status.getReason() : "The request failed.");
			};
		}
		if (ex instanceof ErrorResponse errorResponse) {
			HttpStatusCode code = errorResponse.getStatusCode();
			return new Problem(code, ProblemTypes.forStatus(code.value()), "Error",
					String.valueOf(errorResponse.getBody().getDetail()));
		}
		return new Problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "Internal error",
				"The request could not be completed; it has been logged.");
	}

	private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return true;
			}
			if (current.getCause() == current) {
				return false;
			}
		}
		return false;
	}

	private record Problem(HttpStatusCode status, URI type, String title, String detail) {
	}

}
