package dev.sysdesign.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions live in Redis, so any gateway instance serves any session: a login through one
 * gateway works through another, logout is seen everywhere at once, and a session keeps
 * working after the gateway that created it and session-service are killed with
 * {@code kill -9}.
 */
class SessionsAcrossGatewaysIntegrationTests {

	static ServiceProcess sessions;

	static ServiceProcess orders;

	static ServiceProcess gatewayA;

	static ServiceProcess gatewayB;

	@BeforeAll
	static void start() {
		int sessionPort = ServiceProcess.freePort();
		int orderPort = ServiceProcess.freePort();
		sessions = ServiceProcess.start("session-service", "sessions-session", sessionPort, sessionPort,
				ServiceProcess.env(), ServiceProcess.infrastructureArguments("accounts"));
		orders = ServiceProcess.start("order-service", "sessions-order", orderPort, orderPort, ServiceProcess.env(),
				ServiceProcess.infrastructureArguments("orders"));
		gatewayA = gateway("sessions-gateway-a");
		gatewayB = gateway("sessions-gateway-b");
		Stream.of(sessions, orders, gatewayA, gatewayB).forEach((process) -> process.awaitReady(Duration.ofMinutes(4)));
	}

	private static ServiceProcess gateway(String name) {
		return ServiceProcess.start("gateway-service", name, ServiceProcess.freePort(), ServiceProcess.freePort(),
				ServiceProcess.env("SESSION_SERVICE_URLS", sessions.baseUrl(), "ORDER_SERVICE_URLS", orders.baseUrl(),
						"WORKER_SERVICE_URLS", "http://127.0.0.1:1", "DISCOVERY_REFRESH_INTERVAL", "500ms"),
				ServiceProcess.infrastructureArguments(""));
	}

	@AfterAll
	static void stop() {
		Stream.of(gatewayA, gatewayB, sessions, orders).filter((p) -> p != null).forEach(ServiceProcess::close);
	}

	@Test
	void sessionsWorkThroughEveryGatewayAndSurviveTheirCreatorsDeath() {
		String username = "across-" + System.nanoTime() % 1_000_000_000;
		String token = Http.registerAndLogIn(gatewayA.baseUrl(), username);
		HttpResponse<String> cookieLogin = Http.post(gatewayA.baseUrl() + "/api/sessions",
				"{\"username\":\"" + username + "\",\"password\":\"system-test-password\"}");
		String cookie = cookieLogin.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
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

}
