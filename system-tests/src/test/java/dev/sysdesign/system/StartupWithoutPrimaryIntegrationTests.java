package dev.sysdesign.system;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readiness contract at start-up: a service whose primary database is unreachable
 * exits with one clear line naming the address it tried, not a page of stack traces.
 */
class StartupWithoutPrimaryIntegrationTests {

	@Test
	void servicesExitNamingTheUnreachablePrimary() {
		int closedPort = ServiceProcess.freePort();
		String url = "jdbc:mariadb://127.0.0.1:" + closedPort + "/orders";
		Map<String, String> services = Map.of("order-service", "orders", "session-service", "accounts",
				"worker-service", "worker");
		List<ServiceProcess> processes = services.keySet()
			.stream()
			.map((module) -> ServiceProcess.start(module, "no-primary-" + module, ServiceProcess.freePort(),
					ServiceProcess.env(),
					List.of("--spring.datasource.url=" + url, "--platform.datasource.nodes=127.0.0.1:" + closedPort)))
			.toList();
		try {
			for (ServiceProcess process : processes) {
				int exitCode = process.awaitExit(Duration.ofMinutes(3));
				String output = process.output();
				assertThat(exitCode).as(process.name()).isNotZero();
				assertThat(output).as(process.name())
					.contains("Primary database unreachable at 127.0.0.1:" + closedPort);
				assertThat(output.lines().filter((line) -> line.startsWith("\tat ")).count()).as(process.name())
					.isZero();
			}
		}
		finally {
			processes.forEach(ServiceProcess::close);
		}
	}

}
