package dev.sysdesign.gateway.problem;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.sysdesign.contracts.problems.ProblemTypes;

/**
 * Writes the RFC 9457 problems the gateway answers itself, from its filters and its error
 * handler alike: {@code type}, {@code title}, {@code status}, {@code detail},
 * {@code instance} (the path) and {@code service}, as {@code application/problem+json}; a
 * 503 gets a {@code Retry-After} unless one is set already.
 */
@Component
public class ProblemResponses {

	/** Seconds a client should wait before retrying after a 503. */
	public static final String RETRY_AFTER_SECONDS = "2";

	private final JsonMapper json;

	ProblemResponses(JsonMapper json) {
		this.json = json;
	}

	/**
	 * Writes a problem response.
	 * @param exchange the exchange
	 * @param status the status
	 * @param type the problem type ({@link ProblemTypes})
	 * @param title the title
	 * @param detail the detail
	 * @param extra extra members of the body
	 * @return completion of the write
	 */
	public Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, URI type, String title, String detail,
			Map<String, Object> extra) {
		ServerHttpResponse response = exchange.getResponse();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", type.toString());
		body.put("title", title);
		body.put("status", status.value());
		body.put("detail", detail);
		body.put("instance", exchange.getRequest().getPath().value());
		body.put("service", "gateway-service");
		body.putAll(extra);
		response.setStatusCode(status);
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		headers.remove(HttpHeaders.CONTENT_LENGTH);
		if (status.value() == 503 && !headers.containsHeader(HttpHeaders.RETRY_AFTER)) {
			headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		}
		byte[] bytes = this.json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		DataBuffer buffer = response.bufferFactory().wrap(bytes);
		return response.writeWith(Mono.just(buffer));
	}

}
