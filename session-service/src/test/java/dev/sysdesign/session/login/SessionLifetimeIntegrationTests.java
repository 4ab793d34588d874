package dev.sysdesign.session.login;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.awaitility.Awaitility.await;

/**
 * Both session limits, with short configured values: the idle timeout (a session unused
 * for longer ends) and the absolute lifetime (a session in constant use still ends). Also
 * the administrator account created from configuration.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.session.timeout=2s", "sessions.absolute-lifetime=5s",
				"sessions.admin.username=admin-lifetime-test", "sessions.admin.password=admin password 1" })
@UsePlatformInfrastructure(schema = "accounts")
class SessionLifetimeIntegrationTests {

	@LocalServerPort
	int port;

	RestTestClient client;

	String username;

	@BeforeEach
	void register() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		this.username = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		this.client.post()
			.uri("/api/accounts")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"username\":\"" + this.username + "\",\"password\":\"password-1\"}")
			.exchange()
			.expectStatus()
			.isCreated();
	}

	@Test
	void sessionUnusedPastItsIdleTimeoutEnds() {
		String token = login(this.username, "password-1");
		await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10)).until(() -> status(token) == 401);
	}

	@Test
	void sessionInConstantUseEndsAtItsAbsoluteLifetime() {
		String token = login(this.username, "password-1");
		// polled every 500 ms, far below the 2 s idle timeout: only the absolute lifetime
		// can end it
		await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(15)).until(() -> status(token) == 401);
	}

	@Test
	void administratorComesFromConfiguration() {
		String token = login("admin-lifetime-test", "admin password 1");
		this.client.get()
			.uri("/api/sessions/current")
			.header("X-Auth-Token", token)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.roles")
			.isEqualTo(List.of("USER", "ADMIN"));
	}

	private int status(String token) {
		return this.client.get()
			.uri("/api/sessions/current")
			.header("X-Auth-Token", token)
			.exchange()
			.returnResult(String.class)
			.getStatus()
			.value();
	}

	@SuppressWarnings("unchecked")
	private String login(String username, String password) {
		return (String) this.client.post()
			.uri("/api/sessions")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("token");
	}

}
