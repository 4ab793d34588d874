package dev.sysdesign.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions of the conventions every service of the platform keeps over HTTP, whether it
 * runs in the test's JVM or as a separate process: readiness, problem details naming the
 * answering service, request ids.
 */
public final class ServiceContract {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private ServiceContract() {
	}

	/**
	 * Sends a GET request.
	 * @param url the address
	 * @param headers header names and values, alternating
	 * @return the response
	 */
	public static HttpResponse<String> get(String url, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("GET " + url + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Asserts that the readiness endpoint answers 200 {@code UP}.
	 * @param managementBaseUrl the address of the actuator, without {@code /actuator}
	 */
	public static void assertReady(String managementBaseUrl) {
		HttpResponse<String> response = get(managementBaseUrl + "/actuator/health/readiness");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	/**
	 * Asserts that the actuator is served on the management port only, and that the API
	 * port answers just the readiness and liveness probes ({@code /readyz},
	 * {@code /livez}) that the gateway's discovery uses.
	 * @param baseUrl the service's API address
	 * @param managementBaseUrl its management address
	 */
	public static void assertActuatorOnlyOnManagementPort(String baseUrl, String managementBaseUrl) {
		for (String path : java.util.List.of("/actuator", "/actuator/health", "/actuator/prometheus",
				"/actuator/metrics", "/actuator/env")) {
			assertThat(get(baseUrl + path).statusCode()).as("GET %s on the API port", path).isEqualTo(404);
		}
		HttpResponse<String> ready = get(baseUrl + "/readyz");
		assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
		assertThat(ready.body()).contains("\"status\":\"UP\"");
		assertThat(get(baseUrl + "/livez").statusCode()).isEqualTo(200);
		assertThat(get(managementBaseUrl + "/actuator/prometheus").statusCode()).isEqualTo(200);
	}

	/**
	 * Asserts that an unknown path answers 404 problem+json naming the answering service,
	 * and that the caller's request id comes back.
	 * @param baseUrl the address to send to (the service, or the gateway in front of it)
	 * @param path an unknown path
	 * @param service the service expected to answer
	 * @param headers further request headers, names and values alternating
	 */
	public static void assertUnknownPathIsProblemOf(String baseUrl, String path, String service, String... headers) {
		String requestId = "contract-" + System.nanoTime();
		String[] allHeaders = java.util.Arrays.copyOf(headers, headers.length + 2);
		allHeaders[headers.length] = "X-Request-Id";
		allHeaders[headers.length + 1] = requestId;
		HttpResponse<String> response = get(baseUrl + path, allHeaders);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue(requestId);
		assertThat(response.body()).contains("\"status\":404")
			.contains("\"type\":\"/problems/not-found\"")
			.contains("\"service\":\"" + service + "\"");
	}

	/**
	 * Asserts that an unsafe request id is replaced by a generated one.
	 * @param baseUrl the address to send to
	 */
	public static void assertUnsafeRequestIdReplaced(String baseUrl) {
		HttpResponse<String> response = get(baseUrl + "/api/contract-unknown", "X-Request-Id", "unsafe id <script>");
		assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(
				(id) -> assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
	}

}
