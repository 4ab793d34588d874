package dev.sysdesign.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication at the edge against real sessions in Redis (written as session-service
 * writes them) and real HTTP servers standing in for the services behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "platform.discovery.refresh-interval=200ms",
				"platform.auth.touch-interval=0s" })
@UsePlatformInfrastructure
class GatewayAuthenticationIntegrationTests {

	static final FakeService backend = FakeService.start("backend");

	@LocalServerPort
	int port;

	@Autowired
	RedisConnectionFactory redis;

	TestSessions sessions;

	WebTestClient client;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) {
		backend.standInForEveryService(registry);
	}

	@AfterAll
	static void stopBackend() {
		backend.close();
	}

	@BeforeEach
	void setUp() {
		this.sessions = new TestSessions(this.redis);
		this.client = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void protectedPathWithoutSessionIs401Problem() {
		int served = backend.served();
		this.client.get()
			.uri("/api/orders")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/unauthenticated");
		assertThat(backend.served()).isEqualTo(served);
	}

	@Test
	void tokenSetsIdentityHeadersAndReplacesSpoofedOnes() {
		String token = this.sessions.login(42, "USER");
		this.client.get()
			.uri("/api/orders")
			.header("X-Auth-Token", token)
			.header("X-User-Id", "1")
			.header("X-User-Roles", "ADMIN")
			.header("x-user-extra", "spoofed")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.headers.x-user-id")
			.isEqualTo("42")
			.jsonPath("$.headers.x-user-roles")
			.isEqualTo("USER")
			.jsonPath("$.headers.x-user-extra")
			.doesNotExist();
	}

	@Test
	void spoofedIdentityWithoutSessionNeverReachesAService() {
		this.client.get()
			.uri("/api/orders")
			.header("X-User-Id", "1")
			.header("X-User-Roles", "ADMIN")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.client.get()
			.uri("/api/products")
			.header("X-User-Id", "1")
			.header("X-User-Roles", "ADMIN")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.headers.x-user-id")
			.doesNotExist()
			.jsonPath("$.headers.x-user-roles")
			.doesNotExist();
	}

	@Test
	void cookieAuthenticatesToo() {
		String token = this.sessions.login(43, "USER,ADMIN");
		this.client.get()
			.uri("/api/reports/daily")
			.cookie("SESSION", token)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.headers.x-user-roles")
			.isEqualTo("USER,ADMIN");
	}

	@Test
	void tamperedRandomAndDeletedTokensAre401() {
		String token = this.sessions.login(44, "USER");
		String tampered = token.substring(0, token.length() - 1) + (token.endsWith("a") ? "b" : "a");
		for (String bad : new String[] { tampered, UUID.randomUUID().toString(), "x".repeat(300), "' OR 1=1" }) {
			this.client.get().uri("/api/orders").header("X-Auth-Token", bad).exchange().expectStatus().isUnauthorized();
		}
		this.client.get().uri("/api/orders").header("X-Auth-Token", token).exchange().expectStatus().isOk();
		this.sessions.delete(token);
		this.client.get().uri("/api/orders").header("X-Auth-Token", token).exchange().expectStatus().isUnauthorized();
	}

	/**
	 * A session hash that cannot be read — partial (what a refresh racing a logout used
	 * to leave), of another type, or with a garbled value — is no valid session: 401,
	 * never 500.
	 */
	@Test
	void anUnreadableSessionIs401NotA500() {
		StringRedisTemplate keys = new StringRedisTemplate(this.redis);
		String partial = UUID.randomUUID().toString();
		keys.opsForHash().put("spring:session:sessions:" + partial, "lastAccessedTime", "1796230488374");
		String wrongType = UUID.randomUUID().toString();
		keys.opsForValue().set("spring:session:sessions:" + wrongType, "not a hash");
		String garbled = this.sessions.login(43, "USER");
		keys.opsForHash().put("spring:session:sessions:" + garbled, "creationTime", "{not json");
		try {
			for (String token : List.of(partial, wrongType, garbled)) {
				this.client.get()
					.uri("/api/orders")
					.header("X-Auth-Token", token)
					.exchange()
					.expectStatus()
					.isUnauthorized()
					.expectHeader()
					.contentType(MediaType.APPLICATION_PROBLEM_JSON);
			}
		}
		finally {
			keys.delete(List.of("spring:session:sessions:" + partial, "spring:session:sessions:" + wrongType,
					"spring:session:sessions:" + garbled, "spring:session:sessions:expires:" + garbled));
		}
	}

	/**
	 * Login, use (each use refreshes the session here) and logout, 50 times: nothing of
	 * those sessions is left in Redis without an expiry.
	 */
	@Test
	void fiftyLoginUseLogoutCyclesLeaveNoKeyWithoutExpiry() {
		long user = 4_900_000 + (System.nanoTime() % 100_000);
		List<String> ids = new java.util.ArrayList<>();
		for (int i = 0; i < 50; i++) {
			String token = this.sessions.login(user, "USER");
			this.sessions.lastAccessed(token, Instant.now().minus(Duration.ofMinutes(1)));
			this.client.get().uri("/api/orders").header("X-Auth-Token", token).exchange().expectStatus().isOk();
			this.sessions.delete(token);
			ids.add(token);
		}
		StringRedisTemplate keys = new StringRedisTemplate(this.redis);
		List<String> left = keys.keys("spring:session:*")
			.stream()
			.filter((key) -> ids.stream().anyMatch(key::contains) || key.endsWith(":" + user))
			.toList();
		assertThat(left).as("keys of the 50 sessions and their user left behind")
			.allSatisfy((key) -> assertThat(keys.getExpire(key)).as(key).isPositive());
	}

	@Test
	void sessionPastItsIdleTimeoutIs401() {
		String token = this.sessions.login(45, "USER");
		this.sessions.lastAccessed(token, Instant.now().minus(Duration.ofMinutes(31)));
		this.client.get().uri("/api/orders").header("X-Auth-Token", token).exchange().expectStatus().isUnauthorized();
	}

	@Test
	void sessionPastItsAbsoluteLifetimeIs401AndDeleted() {
		String token = this.sessions.login(46, "USER");
		this.sessions.created(token, Instant.now().minus(Duration.ofHours(12)).minusSeconds(1));
		this.client.get().uri("/api/orders").header("X-Auth-Token", token).exchange().expectStatus().isUnauthorized();
		assertThat(this.sessions.exists(token)).isFalse();
	}

	@Test
	void usingASessionRefreshesItsLastAccess() {
		String token = this.sessions.login(47, "USER");
		Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
		this.sessions.lastAccessed(token, tenMinutesAgo);
		this.client.get().uri("/api/orders").header("X-Auth-Token", token).exchange().expectStatus().isOk();
		assertThat(this.sessions.lastAccessed(token)).isAfter(tenMinutesAgo.plus(Duration.ofMinutes(9)));
	}

	@Test
	void crossSiteCookiePostIs403AndSameOriginOrApiClientPasses() {
		String token = this.sessions.login(48, "USER");
		this.client.post()
			.uri("/api/orders")
			.cookie("SESSION", token)
			.header("Origin", "https://evil.example")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/cross-site-request");
		this.client.post()
			.uri("/api/orders")
			.cookie("SESSION", token)
			.header("Sec-Fetch-Site", "cross-site")
			.exchange()
			.expectStatus()
			.isForbidden();
		this.client.post()
			.uri("/api/orders")
			.cookie("SESSION", token)
			.header("Origin", "http://localhost:" + this.port)
			.exchange()
			.expectStatus()
			.isOk();
		// API clients (no Origin) are not affected; browsers of other origins are refused
		// by CORS
		this.client.post().uri("/api/orders").header("X-Auth-Token", token).exchange().expectStatus().isOk();
		this.client.post()
			.uri("/api/orders")
			.header("X-Auth-Token", token)
			.header("Origin", "https://evil.example")
			.exchange()
			.expectStatus()
			.isForbidden();
		this.client.post().uri("/api/orders").cookie("SESSION", token).exchange().expectStatus().isOk();
	}

	@Test
	void loginAndRegistrationArePublic() {
		this.client.post()
			.uri("/api/sessions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isOk();
		this.client.post()
			.uri("/api/accounts")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isOk();
		this.client.get().uri("/api/sessions/current").exchange().expectStatus().isUnauthorized();
		this.client.delete().uri("/api/sessions").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void instancesNeedTheAdminRole() {
		this.client.get().uri("/api/admin/instances").exchange().expectStatus().isUnauthorized();
		String user = this.sessions.login(49, "USER");
		this.client.get()
			.uri("/api/admin/instances")
			.header("X-Auth-Token", user)
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		String admin = this.sessions.login(50, "USER,ADMIN");
		this.client.get()
			.uri("/api/admin/instances")
			.header("X-Auth-Token", admin)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.services.order-service.instances[0].ready")
			.isEqualTo(true);
	}

}
