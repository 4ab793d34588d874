package dev.sysdesign.gateway;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routes, problems and edge behaviour of the gateway against real HTTP servers standing
 * in for the downstream services.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "platform.discovery.refresh-interval=200ms" })
@UsePlatformInfrastructure
class GatewayRoutingIntegrationTests {

	static final FakeService sessions = FakeService.start("session-1");

	static final FakeService orders = FakeService.start("order-1");

	static final FakeService workers = FakeService.start("worker-1");

	static final FakeService workersTwo = FakeService.start("worker-2");

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) {
		registry.add("platform.discovery.services.session-service.urls", sessions::url);
		registry.add("platform.discovery.services.order-service.urls", orders::url);
		registry.add("platform.discovery.services.worker-service.urls", () -> workers.url() + "," + workersTwo.url());
	}

	@AfterAll
	static void stopServices() {
		sessions.close();
		orders.close();
		workers.close();
		workersTwo.close();
	}

	@AfterEach
	void allReady() {
		sessions.ready(true);
		orders.ready(true);
		workers.ready(true);
		workersTwo.ready(true);
	}

	@Autowired
	RedisConnectionFactory redis;

	String token;

	@BeforeEach
	void logIn() {
		this.token = new TestSessions(this.redis).login(7, "USER");
	}

	WebTestClient client() {
		return WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("X-Auth-Token", this.token)
			.build();
	}

	@Test
	void routesEachPathFamilyToItsService() {
		assertRoutedTo("/api/accounts", "session-1");
		assertRoutedTo("/api/sessions/current", "session-1");
		assertRoutedTo("/api/products", "order-1");
		assertRoutedTo("/api/orders/42", "order-1");
		assertRoutedTo("/api/admin/products/SKU-1/restock", "order-1");
		assertRoutedTo("/api/reports/daily?date=2026-11-26", "worker-");
		assertRoutedTo("/api/admin/dead-letters", "worker-");
	}

	@Test
	void passesRequestIdAndClientAddressDownstream() {
		client().get()
			.uri("/api/products")
			.header("X-Request-Id", "edge-test-1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Request-Id", "edge-test-1")
			.expectBody()
			.jsonPath("$.headers.x-request-id")
			.isEqualTo("edge-test-1")
			.jsonPath("$.headers.x-client-address")
			.isEqualTo("127.0.0.1");
		client().get()
			.uri("/api/products")
			.header("X-Forwarded-For", "6.6.6.6")
			.exchange()
			.expectBody()
			.jsonPath("$.headers.x-client-address")
			.isEqualTo("127.0.0.1")
			.jsonPath("$.headers.x-forwarded-for")
			.doesNotExist();
	}

	@Test
	void generatesRequestIdWhenMissing() {
		client().get()
			.uri("/api/products")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueMatches("X-Request-Id", "[0-9a-f-]{36}")
			.expectBody()
			.jsonPath("$.headers.x-request-id")
			.value(String.class, (id) -> assertThat(id).matches("[0-9a-f-]{36}"));
	}

	@Test
	void unknownPathIsGatewayProblem() {
		client().get()
			.uri("/api/nothing-here")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/not-found")
			.jsonPath("$.status")
			.isEqualTo(404)
			.jsonPath("$.service")
			.isEqualTo("gateway-service");
	}

	@Test
	void actuatorOnlyOnManagementPort() {
		client().get().uri("/actuator/health").exchange().expectStatus().isNotFound();
		client().get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.managementPort)
			.build();
		management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		// the gateway endpoint is read-only: its routes can be seen, not changed or
		// refreshed
		management.get().uri("/actuator/gateway/routes").exchange().expectStatus().isOk();
		management.post().uri("/actuator/gateway/refresh").exchange().expectStatus().is4xxClientError();
		management.delete().uri("/actuator/gateway/routes/orders").exchange().expectStatus().is4xxClientError();
	}

	@Test
	void servesTheConsoleItself() {
		client().get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML);
	}

	@Test
	void answers503ProblemWhenNoInstanceIsReady() {
		orders.ready(false);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> client().get()
				.uri("/api/products")
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.valueEquals("Retry-After", "2")
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type")
				.isEqualTo("/problems/unavailable"));
		orders.ready(true);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertRoutedTo("/api/products", "order-1"));
	}

	@Test
	void unreadyInstanceLeavesTheRotation() {
		workers.ready(false);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			for (int i = 0; i < 6; i++) {
				assertRoutedTo("/api/admin/dead-letters", "worker-2");
			}
		});
	}

	private void assertRoutedTo(String path, String instancePrefix) {
		client().get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.instance")
			.value(String.class, (instance) -> assertThat(instance).startsWith(instancePrefix))
			.jsonPath("$.path")
			.value(String.class, (forwarded) -> assertThat(path).startsWith(forwarded));
	}

}
