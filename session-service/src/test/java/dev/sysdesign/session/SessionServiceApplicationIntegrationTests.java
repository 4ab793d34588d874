package dev.sysdesign.session;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sysdesign.testing.ServiceContract;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePlatformInfrastructure(schema = "accounts")
class SessionServiceApplicationIntegrationTests {

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
		assertThat(ServiceContract.get(managementUrl() + "/actuator/health/readiness").body())
			.contains("primaryDatabase");
	}

	@Test
	void unknownPathIsProblemNamingTheService() {
		ServiceContract.assertUnknownPathIsProblemOf(baseUrl(), "/api/accounts/unknown/path", "session-service");
		ServiceContract.assertUnsafeRequestIdReplaced(baseUrl());
	}

	@Test
	void servesTheActuatorOnlyOnItsManagementPort() {
		ServiceContract.assertActuatorOnlyOnManagementPort(baseUrl(), managementUrl());
	}

}
