package dev.sysdesign.gateway;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits per user in Redis: a user above the limit gets 429 problems with
 * {@code Retry-After} and {@code X-RateLimit-*} while another user is unaffected, and two
 * gateway instances draw from one bucket.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "RATE_LIMIT_ORDERS_RATE=1", "RATE_LIMIT_ORDERS_BURST=3" })
@UsePlatformInfrastructure
class GatewayRateLimitIntegrationTests {

	static final FakeService backend = FakeService.start("backend");

	static ConfigurableApplicationContext secondGateway;

	@LocalServerPort
	int port;

	@Autowired
	RedisConnectionFactory redis;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) {
		registry.add("platform.discovery.services.order-service.urls", backend::url);
		registry.add("platform.discovery.services.session-service.urls", backend::url);
		registry.add("platform.discovery.services.worker-service.urls", backend::url);
	}

	@AfterAll
	static void stop() {
		if (secondGateway != null) {
			secondGateway.close();
		}
		backend.close();
	}

	@Test
	void userAboveTheLimitGets429WhileAnotherUserIsUnaffected() {
		TestSessions sessions = new TestSessions(this.redis);
		String heavy = sessions.login(80_001 + (System.nanoTime() % 1_000_000) * 10, "USER");
		String light = sessions.login(80_002 + (System.nanoTime() % 1_000_000) * 10, "USER");
		WebTestClient client = client(this.port);
		RedisSeconds clock = new RedisSeconds(this.redis);
		long start = clock.now();
		int allowed = 0;
		WebTestClient.ResponseSpec refused = null;
		while (refused == null && allowed < 20) {
			WebTestClient.ResponseSpec response = client.get()
				.uri("/api/orders")
				.header("X-Auth-Token", heavy)
				.exchange();
			if (response.returnResult(String.class).getStatus().value() == 200) {
				allowed++;
			}
			else {
				refused = response;
			}
		}
		assertThat((long) allowed).as("the burst of 3, plus 1 per second Redis saw pass")
			.isBetween(3L, clock.budgetSince(start, 3, 1));
		assertThat(refused).isNotNull();
		refused.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectHeader()
			.valueEquals("X-RateLimit-Remaining", "0")
			.expectHeader()
			.valueEquals("X-RateLimit-Burst-Capacity", "3")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/rate-limited");
		client.get().uri("/api/orders").header("X-Auth-Token", light).exchange().expectStatus().isOk();
	}

	@Test
	void twoGatewayInstancesShareOneBucket() {
		Map<String, Object> properties = new HashMap<>(
				PlatformInfrastructure.get().springProperties("", java.util.Set.of()));
		properties.put("server.port", "0");
		properties.put("management.server.port", "0");
		properties.put("RATE_LIMIT_ORDERS_RATE", "1");
		properties.put("RATE_LIMIT_ORDERS_BURST", "3");
		properties.put("platform.discovery.services.order-service.urls", backend.url());
		properties.put("platform.discovery.services.session-service.urls", backend.url());
		properties.put("platform.discovery.services.worker-service.urls", backend.url());
		secondGateway = new SpringApplicationBuilder(GatewayApplication.class).run(arguments(properties));
		int secondPort = ((WebServerApplicationContext) secondGateway).getWebServer().getPort();
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(15))
			.untilAsserted(
					() -> client(secondPort).get().uri("/api/sessions").exchange().expectStatus().isUnauthorized());
		client(secondPort).get().uri("/api/products").exchange().expectStatus().isOk();
		String token = new TestSessions(this.redis).login(90_001 + (System.nanoTime() % 1_000_000) * 10, "USER");
		RedisSeconds clock = new RedisSeconds(this.redis);
		long start = clock.now();
		int allowed = 0;
		for (int i = 0; i < 8; i++) {
			int status = client((i % 2 == 0) ? this.port : secondPort).get()
				.uri("/api/orders")
				.header("X-Auth-Token", token)
				.exchange()
				.returnResult(String.class)
				.getStatus()
				.value();
			allowed += (status == 200) ? 1 : 0;
		}
		assertThat((long) allowed).as("one bucket of 3 (+1 per second passed) for both instances, not 3 each")
			.isBetween(3L, clock.budgetSince(start, 3, 1));
	}

	/**
	 * Command-line arguments: they win over application.yml, as they do for a real
	 * process.
	 */
	static String[] arguments(Map<String, Object> properties) {
		return properties.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
	}

	private static WebTestClient client(int port) {
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
	}

}
