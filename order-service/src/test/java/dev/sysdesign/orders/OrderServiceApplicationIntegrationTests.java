package dev.sysdesign.orders;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sysdesign.testing.ServiceContract;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePlatformInfrastructure(schema = "orders")
class OrderServiceApplicationIntegrationTests {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	String baseUrl() {
		return "http://localhost:" + this.port;
	}

	String managementUrl() {
		return "http://localhost:" + this.managementPort;
	}

	@Test
	void startsReadyAgainstTheRealServices() {
		ServiceContract.assertReady(managementUrl());
		assertThat(ServiceContract.get(managementUrl() + "/actuator/health").body()).contains("\"primaryDatabase\":{")
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
		assertThat(ServiceContract.get(managementUrl() + "/actuator/prometheus").body())
			.contains("hikaricp_connections")
			.contains("application=\"order-service\"");
	}

	@Test
	void servesTheActuatorOnlyOnItsManagementPort() {
		ServiceContract.assertActuatorOnlyOnManagementPort(baseUrl(), managementUrl());
	}

}
