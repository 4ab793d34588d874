package dev.sysdesign.session.account;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registration: the documented validation, a taken name, and never a 5xx for bad input.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePlatformInfrastructure(schema = "accounts")
class AccountRegistrationIntegrationTests {

	@LocalServerPort
	int port;

	@org.springframework.beans.factory.annotation.Autowired
	PasswordHashing hashing;

	RestTestClient client() {
		return RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	static String newUsername() {
		return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	@Test
	void registersAccount() {
		String username = newUsername();
		client().post()
			.uri("/api/accounts")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.id")
			.value(Integer.class, (id) -> assertThat(id).isPositive())
			.jsonPath("$.username")
			.isEqualTo(username)
			.jsonPath("$.createdAt")
			.exists()
			.jsonPath("$.password")
			.doesNotExist()
			.jsonPath("$.passwordHash")
			.doesNotExist();
	}

	/**
	 * With every hashing slot taken for longer than a request may wait, the request is
	 * refused with 503 and {@code Retry-After}, not hashed whenever a slot frees up.
	 */
	@Test
	void busyPasswordHashingIs503WithRetryAfter() throws Exception {
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(4);
		try (java.util.concurrent.ExecutorService holders = java.util.concurrent.Executors.newFixedThreadPool(4)) {
			for (int i = 0; i < 4; i++) {
				holders.submit(() -> this.hashing.bounded(() -> {
					held.countDown();
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return null;
				}));
			}
			try {
				assertThat(held.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
				client().post()
					.uri("/api/accounts")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{\"username\":\"" + newUsername() + "\",\"password\":\"password-1\"}")
					.exchange()
					.expectStatus()
					.isEqualTo(503)
					.expectHeader()
					.valueEquals("Retry-After", "1")
					.expectHeader()
					.contentType(MediaType.APPLICATION_PROBLEM_JSON);
			}
			finally {
				release.countDown();
			}
		}
	}

	@Test
	void takenNameIs409() {
		String body = "{\"username\":\"" + newUsername() + "\",\"password\":\"password-1\"}";
		client().post()
			.uri("/api/accounts")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isCreated();
		client().post()
			.uri("/api/accounts")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/username-taken");
	}

	static List<Arguments> badRegistrations() {
		String ok = "password-1";
		return List.of(Arguments.of("malformed JSON", "{\"username\":", "malformed-request"),
				Arguments.of("missing username", "{\"password\":\"" + ok + "\"}", "validation"),
				Arguments.of("missing password", "{\"username\":\"alice\"}", "validation"),
				Arguments.of("too short", "{\"username\":\"ab\",\"password\":\"" + ok + "\"}", "validation"),
				Arguments.of("too long", "{\"username\":\"" + "a".repeat(33) + "\",\"password\":\"" + ok + "\"}",
						"validation"),
				Arguments.of("uppercase", "{\"username\":\"Alice\",\"password\":\"" + ok + "\"}", "validation"),
				Arguments.of("non-ASCII", "{\"username\":\"jöran\",\"password\":\"" + ok + "\"}", "validation"),
				Arguments.of("whitespace only", "{\"username\":\"     \",\"password\":\"" + ok + "\"}", "validation"),
				Arguments.of("inner space", "{\"username\":\"al ice\",\"password\":\"" + ok + "\"}", "validation"),
				Arguments.of("short password", "{\"username\":\"alice\",\"password\":\"1234567\"}", "validation"),
				Arguments.of("long password", "{\"username\":\"alice\",\"password\":\"" + "p".repeat(129) + "\"}",
						"validation"),
				Arguments.of("10,000-character body",
						"{\"username\":\"" + "a".repeat(10_000) + "\",\"password\":\"" + ok + "\"}", "validation"),
				Arguments.of("number as username", "{\"username\":12345,\"password\":\"" + ok + "\"}", "validation"),
				Arguments.of("array body", "[1,2]", "malformed-request"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRegistrations")
	void rejectsBadRegistration(String name, String body, String type) {
		client().post()
			.uri("/api/accounts")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/" + type);
	}

	@Test
	void formEncodedBodyIs415() {
		client().post()
			.uri("/api/accounts")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body("username=alice&password=password-1")
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

}
