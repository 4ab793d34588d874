package dev.sysdesign.gateway;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.PlatformInfrastructure.Component;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Redis unreachable the gateway cannot read sessions: protected calls get 503 with
 * {@code Retry-After} (never 401, which would make clients drop a valid token); public
 * paths keep working (rate limits fail open by default, counted); everything recovers
 * when Redis is back. The gateway's connections to Redis are really cut, by a TCP proxy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "platform.discovery.refresh-interval=200ms" })
@UsePlatformInfrastructure(proxied = Component.REDIS)
class GatewayWithoutRedisIntegrationTests {

	static final FakeService backend = FakeService.start("backend");

	@LocalServerPort
	int port;

	@Autowired
	RedisConnectionFactory redis;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) {
		backend.standInForEveryService(registry);
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	@AfterEach
	void redisBack() {
		PlatformInfrastructure.get().proxy(Component.REDIS).enable();
		await("Redis answers through the proxy again").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
			try (RedisConnection connection = this.redis.getConnection()) {
				return "PONG".equals(connection.ping());
			}
		});
	}

	@Test
	void protectedCallsGet503WhileRedisIsUnreachableAndRecover() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		String token = new TestSessions(this.redis).login(60, "USER");
		client.get().uri("/api/orders").header("X-Auth-Token", token).exchange().expectStatus().isOk();

		PlatformInfrastructure.get().proxy(Component.REDIS).disable();
		client.get()
			.uri("/api/orders")
			.header("X-Auth-Token", token)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "2")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/unavailable");
		double unchecked = this.meters.counter("gateway.ratelimit.redis.unavailable", "policy", "allow").count();
		client.get().uri("/api/products").exchange().expectStatus().isOk();
		assertThat(this.meters.counter("gateway.ratelimit.redis.unavailable", "policy", "allow").count())
			.as("rate limits fail open, counted")
			.isGreaterThan(unchecked);
		client.get().uri("/api/orders").exchange().expectStatus().isUnauthorized();

		PlatformInfrastructure.get().proxy(Component.REDIS).enable();
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> client.get()
				.uri("/api/orders")
				.header("X-Auth-Token", token)
				.exchange()
				.expectStatus()
				.isOk());
	}

	/**
	 * A Redis that answers nothing (paused, not gone: connections stay open) costs a
	 * protected call the command timeout and a 503, never Lettuce's default minute.
	 */
	@Test
	void protectedCallsGet503WithinTwoSecondsWhileRedisIsPaused() {
		WebTestClient client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		String token = new TestSessions(this.redis).login(62, "USER");
		client.get().uri("/api/orders").header("X-Auth-Token", token).exchange().expectStatus().isOk();
		try (RedisConnection connection = this.redis.getConnection()) {
			connection.execute("CLIENT", "PAUSE".getBytes(), "4000".getBytes(), "ALL".getBytes());
		}
		long started = System.nanoTime();
		client.get()
			.uri("/api/orders")
			.header("X-Auth-Token", token)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "2");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> client.get()
				.uri("/api/orders")
				.header("X-Auth-Token", token)
				.exchange()
				.expectStatus()
				.isOk());
	}

	@Test
	void consoleIsServedWithoutReadingTheSession() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		String token = new TestSessions(this.redis).login(61, "USER");
		PlatformInfrastructure.get().proxy(Component.REDIS).disable();
		for (String path : java.util.List.of("/", "/assets/console.css")) {
			client.get().uri(path).cookie("SESSION", token).exchange().expectStatus().isOk();
		}
	}

}
