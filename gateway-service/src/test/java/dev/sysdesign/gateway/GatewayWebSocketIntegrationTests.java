package dev.sysdesign.gateway;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sysdesign.redis.session.SessionReference;
import dev.sysdesign.testing.UsePlatformInfrastructure;
import dev.sysdesign.testing.WebSocketProbe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code WS /ws/orders} at the edge, with real sessions in Redis and a real WebSocket
 * server standing in for order-service: the handshake is authenticated like any protected
 * call (401 without a valid session), a cookie-authenticated handshake from another site
 * is refused (403, WebSocket hijacking), and the service gets the identity and the
 * session's opaque reference and remaining lifetime, never the session id; close codes
 * pass through.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "platform.discovery.refresh-interval=200ms",
				"platform.auth.touch-interval=0s" })
@UsePlatformInfrastructure
class GatewayWebSocketIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	static final FakeWebSocketService orders = FakeWebSocketService.start();

	static final FakeService others = FakeService.start("others");

	@LocalServerPort
	int port;

	@Autowired
	RedisConnectionFactory redis;

	TestSessions sessions;

	@DynamicPropertySource
	static void instances(DynamicPropertyRegistry registry) {
		registry.add("platform.discovery.services.order-service.urls", orders::url);
		registry.add("platform.discovery.services.session-service.urls", others::url);
		registry.add("platform.discovery.services.worker-service.urls", others::url);
	}

	@AfterAll
	static void stopServices() {
		orders.close();
		others.close();
	}

	@BeforeEach
	void setUp() {
		this.sessions = new TestSessions(this.redis);
	}

	@Test
	void tokenHandshakeReachesTheServiceWithIdentityAndSessionReferenceButNotTheToken() {
		String token = this.sessions.login(61, "USER");
		try (WebSocketProbe socket = WebSocketProbe.connect(uri(), "X-Auth-Token", token, "X-User-Session", "spoofed",
				"X-User-Id", "1")) {
			JsonNode headers = socket.awaitFrame((frame) -> frame.has("headers"), WAIT).get("headers");

			assertThat(headers.get("x-user-id").asString()).isEqualTo("61");
			assertThat(headers.get("x-user-roles").asString()).isEqualTo("USER");
			assertThat(headers.get("x-user-session").asString()).isEqualTo(SessionReference.of(token))
				.doesNotContain(token);
			assertThat(headers.get("x-user-session-ttl").asLong()).as("the idle timeout, just refreshed")
				.isBetween(1795L, 1800L);
			assertThat(headers.has("x-auth-token")).isFalse();
			assertThat(headers.has("cookie")).isFalse();
			assertThat(headers.toString()).doesNotContain(token);
		}
	}

	@Test
	void theLifetimeGivenToTheServiceEndsAtTheSessionsAbsoluteExpiry() {
		String token = this.sessions.login(62, "USER");
		Instant created = Instant.now().minus(Duration.ofHours(12)).plusSeconds(90);
		this.sessions.created(token, created);
		try (WebSocketProbe socket = WebSocketProbe.connect(uri(), "X-Auth-Token", token)) {
			JsonNode headers = socket.awaitFrame((frame) -> frame.has("headers"), WAIT).get("headers");

			// the seconds left at the handshake: 90 less whatever time has passed since
			long passed = Duration.between(created.plus(Duration.ofHours(12)).minusSeconds(90), Instant.now())
				.toSeconds();
			assertThat(headers.get("x-user-session-ttl").asLong()).isBetween(89L - passed, 90L);
		}
	}

	@Test
	void handshakeWithoutAValidSessionIs401AndNeverReachesTheService() {
		String deleted = this.sessions.login(63, "USER");
		this.sessions.delete(deleted);
		int before = orders.handshakes();

		assertThat(WebSocketProbe.refusal(uri())).isEqualTo(401);
		assertThat(WebSocketProbe.refusal(uri(), "X-Auth-Token", UUID.randomUUID().toString())).isEqualTo(401);
		assertThat(WebSocketProbe.refusal(uri(), "X-Auth-Token", deleted)).isEqualTo(401);
		assertThat(WebSocketProbe.refusal(uri(), "Cookie", "SESSION=" + deleted)).isEqualTo(401);
		assertThat(WebSocketProbe.refusal(uri(), "X-User-Id", "1", "X-User-Roles", "ADMIN")).isEqualTo(401);
		assertThat(orders.handshakes()).isEqualTo(before);
	}

	@Test
	void crossSiteCookieHandshakeIs403AndSameOriginCookieConnects() {
		String token = this.sessions.login(64, "USER");
		int before = orders.handshakes();

		assertThat(WebSocketProbe.refusal(uri(), "Cookie", "SESSION=" + token, "Origin", "https://evil.example"))
			.isEqualTo(403);
		assertThat(WebSocketProbe.refusal(uri(), "Cookie", "SESSION=" + token, "Origin", "null")).isEqualTo(403);
		assertThat(WebSocketProbe.refusal(uri(), "Cookie", "SESSION=" + token, "Sec-Fetch-Site", "cross-site"))
			.isEqualTo(403);
		assertThat(orders.handshakes()).isEqualTo(before);

		try (WebSocketProbe socket = WebSocketProbe.connect(uri(), "Cookie", "SESSION=" + token, "Origin",
				"http://localhost:" + this.port, "Sec-Fetch-Site", "same-origin")) {
			JsonNode headers = socket.awaitFrame((frame) -> frame.has("headers"), WAIT).get("headers");
			assertThat(headers.get("x-user-id").asString()).isEqualTo("64");
			assertThat(headers.get("x-user-session").asString()).isEqualTo(SessionReference.of(token));
		}
	}

	@Test
	void closeCodesOfTheServiceReachTheClient() {
		String token = this.sessions.login(65, "USER");
		for (int code : new int[] { 1008, 1001, 4000, 4500 }) {
			try (WebSocketProbe socket = WebSocketProbe.connect(uri(), "X-Auth-Token", token)) {
				socket.awaitFrame((frame) -> frame.has("headers"), WAIT);

				socket.send("close:" + code);

				assertThat(socket.awaitClose(WAIT).code()).isEqualTo(code);
			}
		}
	}

	private URI uri() {
		return URI.create("ws://localhost:" + this.port + "/ws/orders");
	}

}
