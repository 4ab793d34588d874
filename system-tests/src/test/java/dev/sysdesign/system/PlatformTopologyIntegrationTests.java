package dev.sysdesign.system;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sysdesign.testing.ServiceContract;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology as separate JVMs, each launched from its extracted layered jar exactly as
 * the Dockerfile launches it: every service becomes ready against the real data services,
 * and a request through the gateway reaches each downstream service.
 */
class PlatformTopologyIntegrationTests {

	static ServiceProcess sessions;

	static ServiceProcess orders;

	static ServiceProcess workers;

	static ServiceProcess gateway;

	@BeforeAll
	static void startTopology() {
		int sessionPort = ServiceProcess.freePort();
		int orderPort = ServiceProcess.freePort();
		int workerPort = ServiceProcess.freePort();
		sessions = ServiceProcess.start("session-service", "topology-session", sessionPort, ServiceProcess.env(),
				ServiceProcess.infrastructureArguments("accounts"));
		orders = ServiceProcess.start("order-service", "topology-order", orderPort, ServiceProcess.env(),
				Stream
					.concat(ServiceProcess.infrastructureArguments("orders").stream(),
							Stream.of("--logging.level.dev.sysdesign.support.web.RequestIdFilter=DEBUG"))
					.toList());
		workers = ServiceProcess.start("worker-service", "topology-worker", workerPort, ServiceProcess.env(),
				ServiceProcess.infrastructureArguments("worker"));
		gateway = ServiceProcess.start("gateway-service", "topology-gateway", ServiceProcess.freePort(),
				ServiceProcess.env("SESSION_SERVICE_URLS", sessions.baseUrl(), "ORDER_SERVICE_URLS", orders.baseUrl(),
						"WORKER_SERVICE_URLS", workers.baseUrl(), "DISCOVERY_REFRESH_INTERVAL", "500ms"),
				ServiceProcess.infrastructureArguments(""));
		Stream.of(sessions, orders, workers, gateway).forEach((process) -> process.awaitReady(Duration.ofMinutes(4)));
		gateway.awaitRoutesTo("session-service", "order-service", "worker-service");
	}

	@AfterAll
	static void stopTopology() {
		Stream.of(gateway, sessions, orders, workers).filter((p) -> p != null).forEach(ServiceProcess::close);
	}

	@Test
	void everyServiceIsReady() {
		for (ServiceProcess process : List.of(sessions, orders, workers, gateway)) {
			ServiceContract.assertReady(process.managementUrl());
		}
	}

	@Test
	void requestThroughGatewayReachesEachDownstreamService() {
		String token = Http.registerAndLogIn(gateway.baseUrl(), "topology-" + System.nanoTime() % 1_000_000_000);
		ServiceContract.assertUnknownPathIsProblemOf(gateway.baseUrl(), "/api/accounts/unknown/path", "session-service",
				"X-Auth-Token", token);
		ServiceContract.assertUnknownPathIsProblemOf(gateway.baseUrl(), "/api/orders/unknown/path", "order-service",
				"X-Auth-Token", token);
		ServiceContract.assertUnknownPathIsProblemOf(gateway.baseUrl(), "/api/reports/unknown/path", "worker-service",
				"X-Auth-Token", token);
	}

	@Test
	void unknownGatewayPathIsProblemOfTheGateway() {
		ServiceContract.assertUnknownPathIsProblemOf(gateway.baseUrl(), "/api/no-such-route", "gateway-service");
		ServiceContract.assertUnknownPathIsProblemOf(gateway.baseUrl(), "/actuator/health", "gateway-service");
	}

	@Test
	void traceContextCrossesTheGatewayIntoLogLines() {
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		ServiceContract.get(gateway.baseUrl() + "/api/products/unknown/trace", "traceparent",
				"00-" + traceId + "-b7ad6b7169203331-01", "X-Request-Id", "trace-test-1");
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(orders.output()).containsPattern("\\[order-service," + traceId
					+ ",[0-9a-f]{16},trace-test-1\\].*GET /api/products/unknown/trace -> 404"));
	}

}
