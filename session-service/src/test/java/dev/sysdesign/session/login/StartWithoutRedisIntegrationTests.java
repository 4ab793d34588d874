package dev.sysdesign.session.login;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.PlatformInfrastructure.Component;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.awaitility.Awaitility.await;

/**
 * The readiness contract for session-service: started while Redis is unreachable (its
 * connections refused by a TCP proxy), it starts and is ready, answers logins with 503,
 * and serves them as soon as Redis is reachable, without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePlatformInfrastructure(schema = "accounts", proxied = Component.REDIS)
class StartWithoutRedisIntegrationTests {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@BeforeAll
	static void redisUnreachable() {
		PlatformInfrastructure.get().proxy(Component.REDIS).disable();
	}

	@AfterAll
	static void redisBack() {
		PlatformInfrastructure.get().proxy(Component.REDIS).enable();
	}

	@Test
	void startsReadyWithoutRedisAndRecovers() {
		RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk();
		String credentials = "{\"username\":\"nobody-here\",\"password\":\"password-1\"}";
		client.post()
			.uri("/api/sessions")
			.contentType(MediaType.APPLICATION_JSON)
			.body(credentials)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists("Retry-After");

		PlatformInfrastructure.get().proxy(Component.REDIS).enable();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> client.post()
				.uri("/api/sessions")
				.contentType(MediaType.APPLICATION_JSON)
				.body(credentials)
				.exchange()
				.expectStatus()
				.isUnauthorized());
	}

}
