package dev.sysdesign.system;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.sysdesign.testing.WebSocketProbe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions live in Redis, so any gateway instance serves any session: a login through one
 * gateway works through another, logout is seen everywhere at once, and a session keeps
 * working after the gateway that created it and session-service are killed with
 * {@code kill -9}. The live order-status sockets ({@code WS /ws/orders}) follow their
 * session: opened through either gateway, pushed to, and closed (1008) by its logout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionsAcrossGatewaysIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	static ServiceProcess sessions;

	static ServiceProcess orders;

	static ServiceProcess gatewayA;

	static ServiceProcess gatewayB;

	@BeforeAll
	static void start() {
		int sessionPort = ServiceProcess.freePort();
		int orderPort = ServiceProcess.freePort();
		sessions = ServiceProcess.start("session-service", "sessions-session", sessionPort, ServiceProcess.env(),
				ServiceProcess.infrastructureArguments("accounts"));
		orders = ServiceProcess.start("order-service", "sessions-order", orderPort, ServiceProcess.env(),
				ServiceProcess.infrastructureArguments("orders"));
		gatewayA = gateway("sessions-gateway-a");
		gatewayB = gateway("sessions-gateway-b");
		Stream.of(sessions, orders, gatewayA, gatewayB).forEach((process) -> process.awaitReady(Duration.ofMinutes(4)));
		Stream.of(gatewayA, gatewayB).forEach((gateway) -> gateway.awaitRoutesTo("session-service", "order-service"));
	}

	private static ServiceProcess gateway(String name) {
		return ServiceProcess.start("gateway-service", name, ServiceProcess.freePort(),
				ServiceProcess.env("SESSION_SERVICE_URLS", sessions.baseUrl(), "ORDER_SERVICE_URLS", orders.baseUrl(),
						"WORKER_SERVICE_URLS", "http://127.0.0.1:1", "DISCOVERY_REFRESH_INTERVAL", "500ms"),
				ServiceProcess.infrastructureArguments(""));
	}

	@AfterAll
	static void stop() {
		Stream.of(gatewayA, gatewayB, sessions, orders).filter((p) -> p != null).forEach(ServiceProcess::close);
	}

	@Test
	@Order(1)
	void liveSocketsFollowTheirSessionThroughEveryGatewayAndCloseAtLogout() {
		String username = "live-" + System.nanoTime() % 1_000_000_000;
		String token = Http.registerAndLogIn(gatewayA.baseUrl(), username);
		String cookie = cookieLogIn(gatewayB, username);
		assertThat(WebSocketProbe.refusal(live(gatewayA))).isEqualTo(401);
		assertThat(WebSocketProbe.refusal(live(gatewayB), "Cookie", cookie, "Origin", "https://evil.example"))
			.isEqualTo(403);

		try (WebSocketProbe tokenSocket = WebSocketProbe.connect(live(gatewayA), "X-Auth-Token", token);
				WebSocketProbe cookieSocket = WebSocketProbe.connect(live(gatewayB), "Cookie", cookie, "Origin",
						gatewayB.baseUrl())) {
			// the gateway answers the handshake before it connects to order-service: a
			// pong
			// proves each socket reached order-service, which pushes only to sockets it
			// holds
			for (WebSocketProbe socket : List.of(tokenSocket, cookieSocket)) {
				socket.send("{\"type\":\"ping\"}");
				socket.awaitFrame("type", "pong", WAIT);
			}
			HttpResponse<String> placed = Http.post(gatewayA.baseUrl() + "/api/orders",
					"{\"items\":[{\"sku\":\"KB-001\",\"quantity\":1}]}", "X-Auth-Token", token);
			assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
			String order = Http.field(placed.body(), "id");
			assertThat(Http.post(gatewayA.baseUrl() + "/api/orders/" + order + "/cancel", null, "X-Auth-Token", token)
				.statusCode()).isEqualTo(200);
			for (WebSocketProbe socket : List.of(tokenSocket, cookieSocket)) {
				assertThat(socket.awaitFrame("orderId", order, WAIT).get("status").asString()).isEqualTo("CANCELLED");
			}

			assertThat(Http.delete(gatewayB.baseUrl() + "/api/sessions/current", "X-Auth-Token", token).statusCode())
				.isEqualTo(204);

			assertThat(tokenSocket.awaitClose(WAIT).code()).as("logout closes the session's socket").isEqualTo(1008);
			cookieSocket.send("{\"type\":\"ping\"}");
			cookieSocket.awaitFrame("type", "pong", WAIT);
			assertThat(cookieSocket.isClosed()).as("the other session's socket stays").isFalse();
			assertThat(WebSocketProbe.refusal(live(gatewayA), "X-Auth-Token", token)).isEqualTo(401);

			assertThat(Http.delete(gatewayA.baseUrl() + "/api/sessions", "Cookie", cookie).statusCode()).isEqualTo(204);

			assertThat(cookieSocket.awaitClose(WAIT).code()).as("logout everywhere").isEqualTo(1008);
		}
	}

	@Test
	@Order(2)
	void sessionsWorkThroughEveryGatewayAndSurviveTheirCreatorsDeath() {
		String username = "across-" + System.nanoTime() % 1_000_000_000;
		String token = Http.registerAndLogIn(gatewayA.baseUrl(), username);
		String cookie = cookieLogIn(gatewayA, username);
		assertThat(cookie).startsWith("SESSION=");

		for (ServiceProcess gateway : List.of(gatewayA, gatewayB)) {
			assertThat(Http.get(gateway.baseUrl() + "/api/orders", "X-Auth-Token", token).statusCode()).isEqualTo(200);
			assertThat(Http.get(gateway.baseUrl() + "/api/orders", "Cookie", cookie).statusCode()).isEqualTo(200);
		}

		assertThat(Http.delete(gatewayA.baseUrl() + "/api/sessions/current", "X-Auth-Token", token).statusCode())
			.isEqualTo(204);
		for (ServiceProcess gateway : List.of(gatewayA, gatewayB)) {
			assertThat(Http.get(gateway.baseUrl() + "/api/orders", "X-Auth-Token", token).statusCode()).isEqualTo(401);
			assertThat(Http.get(gateway.baseUrl() + "/api/orders", "Cookie", cookie).statusCode()).isEqualTo(200);
		}

		List<String> three = List.of(Http.logIn(gatewayA.baseUrl(), username), Http.logIn(gatewayB.baseUrl(), username),
				Http.logIn(gatewayA.baseUrl(), username));
		assertThat(Http.delete(gatewayB.baseUrl() + "/api/sessions", "X-Auth-Token", three.get(0)).statusCode())
			.isEqualTo(204);
		for (String dead : three) {
			for (ServiceProcess gateway : List.of(gatewayA, gatewayB)) {
				assertThat(Http.get(gateway.baseUrl() + "/api/orders", "X-Auth-Token", dead).statusCode())
					.isEqualTo(401);
			}
		}
		assertThat(Http.get(gatewayB.baseUrl() + "/api/orders", "Cookie", cookie).statusCode()).isEqualTo(401);

		String survivor = Http.logIn(gatewayA.baseUrl(), username);
		gatewayA.kill();
		sessions.kill();
		HttpResponse<String> afterKills = Http.get(gatewayB.baseUrl() + "/api/orders", "X-Auth-Token", survivor);
		assertThat(afterKills.statusCode()).as(afterKills.body()).isEqualTo(200);
		assertThat(afterKills.body()).contains("\"content\"");
	}

	private static URI live(ServiceProcess gateway) {
		return URI.create(gateway.baseUrl().replace("http:", "ws:") + "/ws/orders");
	}

	/**
	 * Logs in as the console does: the answer's {@code SESSION} cookie, as a Cookie
	 * header.
	 */
	private static String cookieLogIn(ServiceProcess gateway, String username) {
		HttpResponse<String> login = Http.post(gateway.baseUrl() + "/api/sessions",
				"{\"username\":\"" + username + "\",\"password\":\"system-test-password\"}");
		return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
	}

}
