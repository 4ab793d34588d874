package dev.sysdesign.gateway;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.sysdesign.gateway.balancer.Balancing;
import dev.sysdesign.gateway.discovery.InstanceRegistry;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retries of idempotent requests on the key's next-ranked instance, the circuit breaker,
 * timeouts, and the edge's refusals (body size, CORS), against real HTTP servers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "platform.discovery.refresh-interval=200ms",
				"platform.balancer.key-name=X-Test-User", "platform.edge.breaker.timeout=1500ms",
				"platform.edge.breaker.minimum-calls=4", "platform.edge.breaker.sliding-window-size=4",
				"platform.edge.breaker.wait-in-open-state=2s", "platform.edge.breaker.max-concurrent-calls=3",
				"platform.edge.console-origins=http://console.test", "RATE_LIMIT_ORDERS_RATE=1000000",
				"RATE_LIMIT_ORDERS_BURST=2000000", "RATE_LIMIT_ADMIN_RATE=1000000", "RATE_LIMIT_ADMIN_BURST=2000000" })
@UsePlatformInfrastructure
class GatewayResilienceIntegrationTests {

	static final FakeService first = FakeService.start("first");

	static final FakeService second = FakeService.start("second");

	static final FakeService worker = FakeService.start("worker");

	@LocalServerPort
	int port;

	@Autowired
	InstanceRegistry registry;

	@Autowired
	Balancing balancing;

	@Autowired
	org.springframework.data.redis.connection.RedisConnectionFactory redis;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) {
		registry.add("platform.discovery.services.order-service.urls", () -> first.url() + "," + second.url());
		registry.add("platform.discovery.services.worker-service.urls", worker::url);
		registry.add("platform.discovery.services.session-service.urls", () -> "http://127.0.0.1:1");
	}

	@AfterAll
	static void stop() {
		first.close();
		second.close();
		worker.close();
	}

	@AfterEach
	void healthy() {
		for (FakeService service : List.of(first, second, worker)) {
			service.failing(false);
			service.delay(Duration.ZERO);
		}
	}

	WebTestClient client() {
		return WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	@Test
	void idempotentRequestsAreRetriedOnTheNextRankedInstance() {
		String user = userOwnedBy(first);
		first.failing(true);
		assertAnsweredBy(client().get().uri("/api/products").header("X-Test-User", user).exchange(), "second");
		String token = new TestSessions(this.redis).login(71_001, "USER");
		assertAnsweredBy(client().post()
			.uri("/api/orders")
			.header("X-Test-User", user)
			.header("X-Auth-Token", token)
			.header("Idempotency-Key", "retry-test")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"a\":1}")
			.exchange(), "second");
		client().post()
			.uri("/api/orders")
			.header("X-Test-User", user)
			.header("X-Auth-Token", token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"a\":1}")
			.exchange()
			.expectStatus()
			.isEqualTo(503);
	}

	/**
	 * The route admits 3 calls at once here: with the instances holding every answer, 3
	 * of 6 calls are in flight and the other 3 are refused at once with 503 (not 500);
	 * once the answers go, the admitted ones succeed.
	 */
	@Test
	void callsBeyondTheRoutesConcurrencyLimitGet503ProblemNot500() throws Exception {
		first.hold();
		second.hold();
		List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors
			.newVirtualThreadPerTaskExecutor()) {
			List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
			for (int i = 0; i < 6; i++) {
				calls.add(threads.submit(() -> {
					org.springframework.test.web.reactive.server.EntityExchangeResult<String> result = client().get()
						.uri("/api/products")
						.exchange()
						.expectBody(String.class)
						.returnResult();
					if (result.getStatus().value() == 503) {
						assertThat(result.getResponseHeaders().getContentType())
							.isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
						assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotNull();
						assertThat(result.getResponseBody()).contains("/problems/unavailable");
					}
					statuses.add(result.getStatus().value());
					return result.getStatus().value();
				}));
			}
			await("the calls beyond the limit are refused while 3 are held").atMost(Duration.ofSeconds(30))
				.until(() -> statuses.size() == 3);
			first.release();
			second.release();
			for (java.util.concurrent.Future<Integer> call : calls) {
				call.get();
			}
		}
		finally {
			first.release();
			second.release();
		}
		assertThat(statuses).containsExactlyInAnyOrder(503, 503, 503, 200, 200, 200);
		// the rejections may have opened the breaker for a moment
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> client().get().uri("/api/products").exchange().expectStatus().isOk());
	}

	/**
	 * Only a POST whose service honours {@code Idempotency-Key} is retried: a restock
	 * sent with the header reaches one instance once.
	 */
	@Test
	void aPostToAPathThatIgnoresIdempotencyKeysIsNeverRetried() {
		String user = userOwnedBy(first);
		first.failing(true);
		int firstBefore = first.served();
		int secondBefore = second.served();
		client().post()
			.uri("/api/admin/products/KB-001/restock")
			.header("X-Test-User", user)
			.header("X-Auth-Token", new TestSessions(this.redis).login(71_002, "ADMIN"))
			.header("Idempotency-Key", "restock-once")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"quantity\":5}")
			.exchange()
			.expectStatus()
			.isEqualTo(503);
		assertThat(first.served() - firstBefore).isEqualTo(1);
		assertThat(second.served() - secondBefore).as("not retried on the next instance").isZero();
	}

	@Test
	void slowServiceTimesOutThenTheBreakerOpensWith503AndRetryAfter() {
		String token = new TestSessions(this.redis).login(70, "USER,ADMIN");
		worker.delay(Duration.ofMillis(2500));
		for (int i = 0; i < 4; i++) {
			client().get()
				.uri("/api/admin/dead-letters")
				.header("X-Auth-Token", token)
				.exchange()
				.expectStatus()
				.isEqualTo(504)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		client().get()
			.uri("/api/admin/dead-letters")
			.header("X-Auth-Token", token)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists("Retry-After")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/unavailable");
		worker.delay(Duration.ZERO);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> client().get()
				.uri("/api/admin/dead-letters")
				.header("X-Auth-Token", token)
				.exchange()
				.expectStatus()
				.isOk());
	}

	@Test
	void oversizedBodyIs413Problem() {
		byte[] body = new byte[1024 * 1024 + 1];
		client().post()
			.uri("/api/products")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/payload-too-large");
		client().post()
			.uri("/api/products")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new byte[1024 * 1024])
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void corsOnlyForTheConsolesOrigin() {
		client().options()
			.uri("/api/products")
			.header("Origin", "http://console.test")
			.header("Access-Control-Request-Method", "POST")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Access-Control-Allow-Origin", "http://console.test");
		client().options()
			.uri("/api/products")
			.header("Origin", "https://elsewhere.test")
			.header("Access-Control-Request-Method", "POST")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.doesNotExist("Access-Control-Allow-Origin");
	}

	private String userOwnedBy(FakeService owner) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.registry.candidates("order-service").stream().filter((c) -> c.ready()).count() == 2);
		for (int user = 1;; user++) {
			String key = Integer.toString(user);
			var instances = this.registry.ready("order-service").block();
			if (this.balancing.owner("order-service", instances, key).getInstanceId().equals(owner.instanceId())) {
				return key;
			}
		}
	}

	private static void assertAnsweredBy(WebTestClient.ResponseSpec response, String instance) {
		response.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.instance")
			.value(String.class, (name) -> assertThat(name).isEqualTo(instance));
	}

}
