package dev.sysdesign.orders;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sysdesign.testing.ServiceContract;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePlatformInfrastructure(schema = "orders")
class OrderServiceApplicationIntegrationTests {

	@LocalServerPort
	int port;

	String baseUrl() {
		return "http://localhost:" + this.port;
	}

	@Test
	void startsReadyAgainstTheRealServices() {
		ServiceContract.assertReady(baseUrl());
		assertThat(ServiceContract.get(baseUrl() + "/actuator/health").body()).contains("\"primaryDatabase\":{")
			.contains("\"redis\":{")
			.contains("\"rabbit\":{");
	}

	@Test
	void unknownPathIsProblemNamingTheService() {
		ServiceContract.assertUnknownPathIsProblemOf(baseUrl(), "/api/orders/unknown/path", "order-service");
		ServiceContract.assertUnsafeRequestIdReplaced(baseUrl());
	}

	@Test
	void exposesPrometheusMetrics() {
		assertThat(ServiceContract.get(baseUrl() + "/actuator/prometheus").body()).contains("hikaricp_connections")
			.contains("application=\"order-service\"");
	}

}
