package dev.sysdesign.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.sysdesign.testing.Images;
import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docker-compose.yml} in step with the code, since Docker cannot run here:
 * it is valid against the compose schema, every service module has a service, every
 * address a service reads is set, every service has a healthcheck, host ports are unique
 * and only the gateway's public port is published beyond loopback.
 */
class ComposeFileTests {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

	private final Path root = PlatformInfrastructure.repositoryRoot();

	private final Map<String, Object> services = services();

	@Test
	void isValidAgainstTheComposeSchema() throws Exception {
		List<String> command = composeCommand();
		command.addAll(List.of("-f", this.root.resolve("docker-compose.yml").toString(), "config", "-q"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(Files.readString(this.root.resolve("docker-compose.yml")))
			.as("the top-level name: key is compose v2 only")
			.doesNotContainPattern("(?m)^name:");
	}

	@Test
	void everyServiceModuleHasAComposeService() throws IOException {
		for (String module : serviceModules()) {
			assertThat(composeServiceOf(module)).as("compose service building " + module).isNotNull();
		}
	}

	@Test
	void everyAddressAServiceReadsIsSet() throws IOException {
		for (String module : serviceModules()) {
			String composeName = composeServiceOf(module);
			Map<String, Object> environment = environment(composeName);
			for (Map.Entry<String, String> variable : variables(module).entrySet()) {
				String defaultValue = variable.getValue();
				boolean required = defaultValue == null || defaultValue.contains("127.0.0.1")
						|| defaultValue.contains("localhost");
				if (required) {
					assertThat(environment)
						.as(composeName + " must set " + variable.getKey() + " (read by " + module + " with default "
								+ defaultValue + ")")
						.containsKey(variable.getKey());
				}
			}
		}
	}

	@Test
	void everyServiceHasAHealthcheck() {
		for (String name : this.services.keySet()) {
			assertThat(service(name)).as(name + " healthcheck").containsKey("healthcheck");
		}
	}

	@Test
	void publishedPortsAreUniqueAndOnlyTheGatewayIsPublic() {
		Set<String> seen = new HashSet<>();
		for (String name : this.services.keySet()) {
			@SuppressWarnings("unchecked")
			List<String> ports = (List<String>) service(name).getOrDefault("ports", List.of());
			for (String port : ports) {
				String[] parts = port.split(":");
				String hostPort = (parts.length == 3) ? parts[1] : parts[0];
				assertThat(seen.add(hostPort)).as("host port " + hostPort + " published twice").isTrue();
				if (!name.equals("gateway") || !hostPort.equals("8080")) {
					assertThat(port).as(name + " publishes " + port + " beyond loopback").startsWith("127.0.0.1:");
				}
			}
		}
		for (String internal : List.of("order-service", "worker-service", "session-service")) {
			assertThat(service(internal)).as(internal + " is reached only through the gateway")
				.doesNotContainKey("ports");
		}
	}

	@Test
	void dataServicesUseTheImagesTheTestsUse() {
		assertThat(service("mysql-primary").get("image")).isEqualTo(Images.MYSQL);
		assertThat(service("mysql-replica").get("image")).isEqualTo(Images.MYSQL);
		assertThat(service("mysql-init").get("image")).isEqualTo(Images.MYSQL);
		assertThat(service("redis").get("image")).isEqualTo(Images.REDIS);
		assertThat(service("rabbitmq").get("image")).isEqualTo(Images.RABBITMQ);
		assertThat(service("mysql-replica").toString()).doesNotContain("MYSQL_DATABASE").doesNotContain("MYSQL_USER");
	}

	@Test
	void dependenciesExistAndWaitForHealth() {
		for (String name : this.services.keySet()) {
			Object dependsOn = service(name).get("depends_on");
			if (dependsOn instanceof Map<?, ?> dependencies) {
				dependencies.forEach((dependency, condition) -> {
					assertThat(this.services).as(name + " depends on " + dependency).containsKey((String) dependency);
					assertThat(((Map<?, ?>) condition).get("condition")).as(name + " -> " + dependency)
						.isIn("service_healthy", "service_completed_successfully");
				});
			}
		}
		assertThat(service("order-service")).containsKey("depends_on");
	}

	private List<String> composeCommand() throws Exception {
		if (commandWorks(List.of("docker", "compose", "version"))) {
			return new ArrayList<>(List.of("docker", "compose"));
		}
		if (commandWorks(List.of("docker-compose", "version"))) {
			return new ArrayList<>(List.of("docker-compose"));
		}
		throw new AssertionError("Neither `docker compose` nor `docker-compose` is installed: install one "
				+ "(Debian: apt-get install docker-compose) to validate docker-compose.yml; .ci/run installs it");
	}

	private static boolean commandWorks(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private List<String> serviceModules() throws IOException {
		String pom = Files.readString(this.root.resolve("pom.xml"));
		List<String> modules = new ArrayList<>();
		Matcher matcher = Pattern.compile("<module>([a-z-]+-service)</module>").matcher(pom);
		while (matcher.find()) {
			modules.add(matcher.group(1));
		}
		assertThat(modules).hasSize(4);
		return modules;
	}

	private String composeServiceOf(String module) {
		for (String name : this.services.keySet()) {
			Object build = service(name).get("build");
			if (build instanceof Map<?, ?> buildMap && buildMap.get("args") instanceof Map<?, ?> args
					&& module.equals(args.get("SERVICE"))) {
				return name;
			}
		}
		return null;
	}

	/**
	 * Environment variables a module's application.yml reads, with their defaults (null:
	 * none).
	 */
	private Map<String, String> variables(String module) throws IOException {
		String yaml = Files.readString(this.root.resolve(module).resolve("src/main/resources/application.yml"));
		Map<String, String> variables = new LinkedHashMap<>();
		Matcher matcher = PLACEHOLDER.matcher(yaml);
		while (matcher.find()) {
			variables.put(matcher.group(1), matcher.group(2));
		}
		assertThat(variables).as(module + " reads environment variables").isNotEmpty();
		return variables;
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> environment(String name) {
		Object environment = service(name).get("environment");
		return (environment instanceof Map) ? (Map<String, Object>) environment : Map.of();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> service(String name) {
		return (Map<String, Object>) this.services.get(name);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> services() {
		try {
			Map<String, Object> compose = new Yaml()
				.load(Files.readString(this.root.resolve("docker-compose.yml"), StandardCharsets.UTF_8));
			return (Map<String, Object>) compose.get("services");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
