package dev.sysdesign.session;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sysdesign.testing.ServiceContract;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePlatformInfrastructure(schema = "accounts")
class SessionServiceApplicationIntegrationTests {

	@LocalServerPort
	int port;

	String baseUrl() {
		return "http://localhost:" + this.port;
	}

	@Test
	void startsReadyAgainstTheRealServices() {
		ServiceContract.assertReady(baseUrl());
		assertThat(ServiceContract.get(baseUrl() + "/actuator/health/readiness").body()).contains("primaryDatabase");
	}

	@Test
	void unknownPathIsProblemNamingTheService() {
		ServiceContract.assertUnknownPathIsProblemOf(baseUrl(), "/api/accounts/unknown/path", "session-service");
		ServiceContract.assertUnsafeRequestIdReplaced(baseUrl());
	}

}
