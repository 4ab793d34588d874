package dev.sysdesign.gateway;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client address, derived at the edge: a client cannot choose it with forwarding
 * headers (not even where Spring Boot detects Kubernetes and would trust them by itself),
 * and a trusted proxy — here a client connecting from 127.0.0.2 — forwards clients that
 * get rate-limit budgets of their own. Services receive it as {@code X-Client-Address}
 * and never a forwarding chain.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "EDGE_TRUSTED_PROXIES=127.0.0.2/32",
				"spring.main.cloud-platform=kubernetes", "RATE_LIMIT_ORDERS_RATE=1", "RATE_LIMIT_ORDERS_BURST=3" })
@UsePlatformInfrastructure
class GatewayClientAddressIntegrationTests {

	static final FakeService backend = FakeService.start("backend");

	@LocalServerPort
	int port;

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.data.redis.connection.RedisConnectionFactory redis;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) {
		backend.standInForEveryService(registry);
	}

	@AfterAll
	static void stop() {
		backend.close();
	}

	@Test
	void anUntrustedClientCannotChooseItsAddress() {
		direct().post()
			.uri("/api/accounts")
			.contentType(MediaType.APPLICATION_JSON)
			.header("X-Forwarded-For", "203.0.113.1")
			.header("Forwarded", "for=203.0.113.2")
			.header("X-Client-Address", "203.0.113.3")
			.header("X-Real-IP", "203.0.113.4")
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.headers.x-client-address")
			.isEqualTo("127.0.0.1")
			.jsonPath("$.headers.x-forwarded-for")
			.doesNotExist()
			.jsonPath("$.headers.forwarded")
			.doesNotExist()
			.jsonPath("$.headers.x-real-ip")
			.doesNotExist();
	}

	@Test
	void rotatingForwardingHeadersDoNotEscapeTheAnonymousRateLimit() {
		RedisSeconds clock = new RedisSeconds(this.redis);
		long start = clock.now();
		int allowed = 0;
		for (int i = 0; i < 8; i++) {
			allowed += (direct().get()
				.uri("/api/products")
				.header("X-Forwarded-For", randomAddress())
				.header("Forwarded", "for=" + randomAddress())
				.exchange()
				.returnResult(String.class)
				.getStatus()
				.value() == 200) ? 1 : 0;
		}
		assertThat((long) allowed).as("one bucket of 3 (+1 per second passed) for every spoofed address")
			.isLessThanOrEqualTo(clock.budgetSince(start, 3, 1));
	}

	@Test
	void aTrustedProxyForwardsClientsWithBudgetsOfTheirOwn() {
		String first = randomAddress();
		String second = randomAddress();
		RedisSeconds clock = new RedisSeconds(this.redis);
		long start = clock.now();
		Map<String, Object> seen = viaProxy().get()
			.uri("/api/products")
			.header("X-Forwarded-For", "6.6.6.6, " + first)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(headers(seen)).containsEntry("x-client-address", first).doesNotContainKey("x-forwarded-for");
		int allowedFirst = 1;
		for (int i = 0; i < 7; i++) {
			allowedFirst += (status(viaProxy(), first) == 200) ? 1 : 0;
		}
		assertThat((long) allowedFirst).as("the first client's own bucket of 3 (+1 per second passed)")
			.isLessThanOrEqualTo(clock.budgetSince(start, 3, 1));
		assertThat(status(viaProxy(), second)).as("another client behind the same proxy").isEqualTo(200);
		assertThat(headers(viaProxy().post()
			.uri("/api/accounts")
			.contentType(MediaType.APPLICATION_JSON)
			.header("X-Forwarded-For", second + ", 127.0.0.2")
			.bodyValue("{}")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody())).as("trusted hops are skipped").containsEntry("x-client-address", second);
	}

	/**
	 * HSTS only when the request reached the edge over HTTPS: a trusted proxy's
	 * {@code X-Forwarded-Proto: https} counts, a client's own does not.
	 */
	@Test
	void strictTransportSecurityOnlyBehindATrustedProxyTerminatingTls() {
		viaProxy().get()
			.uri("/api/products")
			.header("X-Forwarded-Proto", "https")
			.exchange()
			.expectHeader()
			.valueEquals("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
		direct().get()
			.uri("/api/products")
			.header("X-Forwarded-Proto", "https")
			.exchange()
			.expectHeader()
			.doesNotExist("Strict-Transport-Security");
	}

	private static int status(WebTestClient client, String forwardedFor) {
		return client.get()
			.uri("/api/products")
			.header("X-Forwarded-For", forwardedFor)
			.exchange()
			.returnResult(String.class)
			.getStatus()
			.value();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> headers(Map<String, Object> echo) {
		return (Map<String, Object>) echo.get("headers");
	}

	private static String randomAddress() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return "198.51." + random.nextInt(256) + "." + random.nextInt(1, 255);
	}

	private WebTestClient direct() {
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	/** A client whose connections come from 127.0.0.2, the trusted proxy. */
	private WebTestClient viaProxy() {
		HttpClient fromProxy = HttpClient.create().bindAddress(() -> new InetSocketAddress("127.0.0.2", 0));
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(fromProxy))
			.baseUrl("http://127.0.0.1:" + this.port)
			.build();
	}

}
