package dev.sysdesign.session.login;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.redis.session.SessionReference;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Login, the current session, logout and logout everywhere (each ended session announced
 * for its WebSockets to close), and login throttling, against the real database and
 * Redis.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sessions.login.max-failures-per-username=5", "sessions.login.max-failures-per-address=8",
				// as on Kubernetes, where Boot would trust forwarding headers by itself
				"spring.main.cloud-platform=kubernetes" })
@UsePlatformInfrastructure(schema = "accounts")
class LoginIntegrationTests {

	static final String PASSWORD = "correct horse battery";

	@LocalServerPort
	int port;

	@Autowired
	RedisConnectionFactory redis;

	@Autowired
	MeterRegistry meters;

	RestTestClient client;

	String username;

	String address;

	@BeforeEach
	void register() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		this.username = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		this.address = "fd00:0:0:0:" + UUID.randomUUID().toString().substring(0, 19);
		this.client.post()
			.uri("/api/accounts")
			.contentType(MediaType.APPLICATION_JSON)
			.body(credentials(this.username, PASSWORD))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	@Test
	void loginAnswersTokenHeaderAndHardenedCookieWithTheSameId() {
		EntityExchangeResult<Map> login = login(this.username, PASSWORD).expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult();
		String token = (String) login.getResponseBody().get("token");
		assertThat(login.getResponseBody()).containsEntry("username", this.username).containsKey("expiresAt");
		assertThat(login.getResponseHeaders().getFirst("X-Auth-Token")).isEqualTo(token);
		String cookie = login.getResponseHeaders().getFirst("Set-Cookie");
		assertThat(cookie).startsWith("SESSION=" + token + ";").contains("HttpOnly").contains("SameSite=Lax");

		this.client.get()
			.uri("/api/sessions/current")
			.header("X-Auth-Token", token)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.username")
			.isEqualTo(this.username)
			.jsonPath("$.roles")
			.isEqualTo(List.of("USER"))
			.jsonPath("$.createdAt")
			.exists()
			.jsonPath("$.lastAccessedAt")
			.exists()
			.jsonPath("$.expiresAt")
			.exists();
		this.client.get().uri("/api/sessions/current").cookie("SESSION", token).exchange().expectStatus().isOk();
	}

	@Test
	void sessionIdChangesAtEveryLogin() {
		String first = token(login(this.username, PASSWORD));
		String second = token(this.client.post()
			.uri("/api/sessions")
			.cookie("SESSION", first)
			.contentType(MediaType.APPLICATION_JSON)
			.body(credentials(this.username, PASSWORD))
			.exchange());
		assertThat(second).isNotEqualTo(first);
		this.client.get()
			.uri("/api/sessions/current")
			.header("X-Auth-Token", first)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.client.get().uri("/api/sessions/current").header("X-Auth-Token", second).exchange().expectStatus().isOk();
	}

	@Test
	void logoutKillsTheToken() {
		String token = token(login(this.username, PASSWORD));
		this.client.delete()
			.uri("/api/sessions/current")
			.header("X-Auth-Token", token)
			.exchange()
			.expectStatus()
			.isNoContent();
		this.client.get()
			.uri("/api/sessions/current")
			.header("X-Auth-Token", token)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.delete()
			.uri("/api/sessions/current")
			.header("X-Auth-Token", token)
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void logoutEverywhereKillsEverySessionOfTheAccount() {
		List<String> tokens = List.of(token(login(this.username, PASSWORD)), token(login(this.username, PASSWORD)),
				token(login(this.username, PASSWORD)));
		this.client.delete()
			.uri("/api/sessions")
			.header("X-Auth-Token", tokens.get(1))
			.exchange()
			.expectStatus()
			.isNoContent();
		for (String token : tokens) {
			this.client.get()
				.uri("/api/sessions/current")
				.header("X-Auth-Token", token)
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
	}

	@Test
	void everyEndedSessionIsAnnouncedByItsReferenceNeverItsId() {
		List<String> announced = new CopyOnWriteArrayList<>();
		RedisMessageListenerContainer subscription = new RedisMessageListenerContainer();
		subscription.setConnectionFactory(this.redis);
		subscription.addMessageListener((message, pattern) -> announced.add(new String(message.getBody())),
				ChannelTopic.of(SessionReference.ENDED_CHANNEL));
		subscription.afterPropertiesSet();
		subscription.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(subscription::isListening);
			String loggedOut = token(login(this.username, PASSWORD));
			String replaced = token(login(this.username, PASSWORD));
			String other = token(login(this.username, PASSWORD));
			String last = token(login(this.username, PASSWORD));

			this.client.delete()
				.uri("/api/sessions/current")
				.header("X-Auth-Token", loggedOut)
				.exchange()
				.expectStatus()
				.isNoContent();
			String replacement = token(this.client.post()
				.uri("/api/sessions")
				.cookie("SESSION", replaced)
				.contentType(MediaType.APPLICATION_JSON)
				.body(credentials(this.username, PASSWORD))
				.exchange());
			this.client.delete()
				.uri("/api/sessions")
				.header("X-Auth-Token", last)
				.exchange()
				.expectStatus()
				.isNoContent();

			List<String> ended = List.of(loggedOut, replaced, other, last, replacement);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(announced).containsAll(ended.stream().map(SessionReference::of).toList()));
			assertThat(announced).noneMatch(ended::contains);
		}
		finally {
			subscription.stop();
		}
	}

	@Test
	void unknownUserAndWrongPasswordGetTheSameAnswer() {
		byte[] wrongPassword = login(this.username, "wrong password!").expectStatus()
			.isUnauthorized()
			.expectBody()
			.returnResult()
			.getResponseBody();
		byte[] unknownUser = login("nobody-" + this.username.substring(1), PASSWORD).expectStatus()
			.isUnauthorized()
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(new String(unknownUser)).isEqualTo(new String(wrongPassword)).contains("/problems/bad-credentials");
	}

	@Test
	void sixthRapidWrongPasswordIs429AndTheRightPasswordToo() {
		double failed = logins("failed");
		double throttled = logins("throttled");
		for (int i = 0; i < 5; i++) {
			login(this.username, "wrong password " + i).expectStatus().isUnauthorized();
		}
		login(this.username, "wrong password 6").expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.value("Retry-After", (seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 900))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/too-many-login-attempts");
		login(this.username, PASSWORD).expectStatus().isEqualTo(429);
		assertThat(logins("failed")).as("failed logins counted").isEqualTo(failed + 5);
		assertThat(logins("throttled")).as("throttled logins counted").isEqualTo(throttled + 2);
	}

	private double logins(String outcome) {
		return this.meters.get("sessions.logins").tag("outcome", outcome).counter().count();
	}

	@Test
	void failuresFromOneAddressLockThatAddressOut() {
		for (int i = 0; i < 8; i++) {
			login("nobody" + i + "-" + this.username, "wrong password").expectStatus().isUnauthorized();
		}
		login(this.username, PASSWORD).expectStatus().isEqualTo(429);
		this.client.post()
			.uri("/api/sessions")
			.header("X-Client-Address", "fd00:0:0:0:1:2:3:" + Integer.toHexString((int) (System.nanoTime() & 0xffff)))
			.contentType(MediaType.APPLICATION_JSON)
			.body(credentials(this.username, PASSWORD))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	@Test
	void currentSessionWithoutLoginIs401() {
		this.client.get().uri("/api/sessions/current").exchange().expectStatus().isUnauthorized();
		this.client.get()
			.uri("/api/sessions/current")
			.header("X-Auth-Token", "not-a-session")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.client.delete().uri("/api/sessions").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void badLoginBodiesAre400() {
		for (String body : List.of("{\"username\":", "{}",
				"{\"username\":\"" + "a".repeat(33) + "\",\"password\":\"x\"}",
				"{\"username\":\"alice\",\"password\":\"" + "p".repeat(129) + "\"}")) {
			this.client.post()
				.uri("/api/sessions")
				.contentType(MediaType.APPLICATION_JSON)
				.body(body)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void everySpellingOfALockedOutNameIsLockedOut() {
		for (int i = 0; i < 5; i++) {
			login(this.username, "wrong password").expectStatus().isUnauthorized();
		}
		for (String spelling : List.of(this.username.toUpperCase(java.util.Locale.ROOT), this.username + " ",
				" " + this.username, "\t" + this.username.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
						+ this.username.substring(1) + "\t")) {
			login(spelling.replace("\t", " "), PASSWORD).expectStatus().isEqualTo(429);
		}
	}

	@Test
	void anySpellingOfTheNameLogsIntoTheOneAccount() {
		login("  " + this.username.toUpperCase(java.util.Locale.ROOT) + " ", PASSWORD).expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.username")
			.isEqualTo(this.username);
	}

	@Test
	void aNameThatOnlyLooksAlikeIsNotTheAccount() {
		// under the schema's accent-insensitive collation "ü…" used to find the account
		// "u…"
		login("ü" + this.username.substring(1), PASSWORD).expectStatus().isUnauthorized();
		login(this.username.substring(0, 3) + "\u00a0" + this.username.substring(3), PASSWORD).expectStatus()
			.isUnauthorized();
	}

	@Test
	void aParallelBurstOfGuessesGetsNoMoreThanTheLimit() throws Exception {
		java.util.Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
		try (java.util.concurrent.ExecutorService burst = java.util.concurrent.Executors
			.newVirtualThreadPerTaskExecutor()) {
			java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
			List<java.util.concurrent.Future<?>> guesses = new java.util.ArrayList<>();
			for (int i = 0; i < 50; i++) {
				String guess = "wrong password " + i;
				guesses.add(burst.submit(() -> {
					start.await();
					int status = login(this.username, guess).returnResult(String.class).getStatus().value();
					statuses.merge(status, 1, Integer::sum);
					return null;
				}));
			}
			start.countDown();
			for (java.util.concurrent.Future<?> guess : guesses) {
				guess.get();
			}
		}
		assertThat(statuses).as("status -> count").containsOnlyKeys(401, 429).containsEntry(401, 5);
		login(this.username, PASSWORD).expectStatus().isEqualTo(429);
	}

	/**
	 * A request that did not come through the gateway (no {@code X-Client-Address})
	 * counts against its TCP peer, whatever forwarding headers it carries, even on
	 * Kubernetes.
	 */
	@Test
	void forwardingHeadersAreNeverTheClientAddress() {
		org.springframework.data.redis.core.StringRedisTemplate keys = new org.springframework.data.redis.core.StringRedisTemplate(
				this.redis);
		String peerKey = "login:failures:address:127.0.0.1";
		keys.delete(peerKey);
		try {
			for (int i = 0; i < 8; i++) {
				this.client.post()
					.uri("/api/sessions")
					.header("X-Forwarded-For", "198.51.100." + i)
					.header("Forwarded", "for=198.51.100." + i)
					.contentType(MediaType.APPLICATION_JSON)
					.body(credentials("nobody" + i + "-" + this.username, "wrong password"))
					.exchange()
					.expectStatus()
					.isUnauthorized();
			}
			this.client.post()
				.uri("/api/sessions")
				.header("X-Forwarded-For", "198.51.100.200")
				.contentType(MediaType.APPLICATION_JSON)
				.body(credentials(this.username, PASSWORD))
				.exchange()
				.expectStatus()
				.isEqualTo(429);
		}
		finally {
			keys.delete(peerKey);
		}
	}

	private RestTestClient.ResponseSpec login(String username, String password) {
		return this.client.post()
			.uri("/api/sessions")
			.header("X-Client-Address", this.address)
			.header("X-Forwarded-For", "203.0.113.9")
			.contentType(MediaType.APPLICATION_JSON)
			.body(credentials(username, password))
			.exchange();
	}

	@SuppressWarnings("unchecked")
	private static String token(RestTestClient.ResponseSpec response) {
		return (String) response.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("token");
	}

	private static String credentials(String username, String password) {
		return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
	}

}
