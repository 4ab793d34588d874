package dev.sysdesign.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.PlatformInfrastructure.Component;
import dev.sysdesign.testing.UsePlatformInfrastructure;

/**
 * The other choice for rate limits without Redis: fail closed
 * ({@code platform.edge.rate-limit.redis-unavailable=deny}), so even public paths get 503
 * while Redis is unreachable (the default, fail open, is shown in
 * {@link GatewayWithoutRedisIntegrationTests}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "RATE_LIMIT_REDIS_UNAVAILABLE=deny" })
@UsePlatformInfrastructure(proxied = Component.REDIS)
class GatewayRateLimitFailClosedIntegrationTests {

	static final FakeService backend = FakeService.start("backend");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) {
		backend.standInForEveryService(registry);
	}

	@AfterAll
	static void stop() {
		backend.close();
	}

	@AfterEach
	void redisBack() {
		PlatformInfrastructure.get().proxy(Component.REDIS).enable();
	}

	@Test
	void publicPathsGet503WithoutRedis() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		client.get().uri("/api/products").exchange().expectStatus().isOk();
		PlatformInfrastructure.get().proxy(Component.REDIS).disable();
		client.get()
			.uri("/api/products")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists("Retry-After")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

}
