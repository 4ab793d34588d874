package dev.sysdesign.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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
 * and only the gateway's public port is published beyond loopback; Redis and RabbitMQ
 * require credentials that their clients send, and each service has a RabbitMQ user of
 * its own limited to the resources it uses.
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
		for (String database : List.of("db1", "db2", "db3", "db-init", "db-monitor", "db-backup")) {
			assertThat(service(database).get("image")).as(database).isEqualTo(Images.MARIADB);
		}
		assertThat(service("redis").get("image")).isEqualTo(Images.REDIS);
		assertThat(service("rabbitmq").get("image")).isEqualTo(Images.RABBITMQ);
		// no node creates schemas or users of its own: they come from the primary,
		// through replication
		for (String node : List.of("db1", "db2", "db3")) {
			assertThat(service(node).toString()).as(node)
				.doesNotContain("MARIADB_DATABASE")
				.doesNotContain("MARIADB_USER");
		}
	}

	/**
	 * The database cluster as the services see it: every node's address, and the nodes
	 * run the server options and the monitor the local cluster runs.
	 */
	@Test
	void servicesAreGivenEveryDatabaseNodeAndTheNodesRunTheClusterOptions() {
		for (String name : List.of("session-service", "order-service", "worker-service")) {
			assertThat(environment(name)).as(name).containsEntry("DB_NODES", "db1:3306,db2:3306,db3:3306");
		}
		assertThat(environment("order-service")).as("reads go to every node but the primary")
			.doesNotContainKey("ORDER_REPLICA_DB_URL");
		for (String node : List.of("db1", "db2", "db3")) {
			assertThat(service(node).get("volumes").toString()).as(node)
				.contains("./infra/mariadb/node.cnf:/etc/mysql/conf.d/platform.cnf:ro");
		}
		assertThat(service("db-monitor").get("entrypoint").toString()).contains("db-failover-monitor.sh");
		assertThat(service("db-backup").get("command").toString()).contains("schedule");
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

	@Test
	void redisRequiresThePasswordEveryClientSends() throws IOException {
		Map<String, Object> redis = service("redis");
		String password = interpolate(String.valueOf(environment("redis").get("REDIS_PASSWORD")));
		assertThat(password).as("redis REDIS_PASSWORD").isNotBlank();
		assertThat(String.join(" ", strings(redis.get("command")))).as("redis command")
			.contains("--requirepass \"$$REDIS_PASSWORD\"");
		assertThat(String.join(" ", strings(((Map<?, ?>) redis.get("healthcheck")).get("test"))))
			.as("the redis healthcheck authenticates and accepts only PONG (a refused AUTH exits 0)")
			.contains("REDISCLI_AUTH=")
			.contains("grep -q PONG");
		List<String> clients = new ArrayList<>();
		for (String module : serviceModules()) {
			if (variables(module).containsKey("REDIS_PASSWORD")) {
				String name = composeServiceOf(module);
				clients.add(name);
				assertThat(interpolate(String.valueOf(environment(name).get("REDIS_PASSWORD"))))
					.as(name + " sends the password Redis requires")
					.isEqualTo(password);
			}
		}
		assertThat(clients).as("Redis clients").contains("gateway", "order-service", "session-service");
	}

	@Test
	void eachRabbitmqClientHasAUserOfItsOwnAndNoneIsGuest() throws IOException {
		Map<String, Object> broker = environment("rabbitmq");
		Map<String, String> users = new LinkedHashMap<>();
		for (String module : serviceModules()) {
			if (!variables(module).containsKey("RABBITMQ_USER")) {
				continue;
			}
			String name = composeServiceOf(module);
			String user = String.valueOf(environment(name).get("RABBITMQ_USER"));
			assertThat(user).as(name + " RABBITMQ_USER").isNotBlank().isNotEqualTo("guest").isEqualTo(module);
			String prefix = module.replace("-service", "").toUpperCase();
			assertThat(broker).as("rabbitmq defines " + name + "'s user")
				.containsEntry(prefix + "_RABBITMQ_USER", user);
			assertThat(interpolate(String.valueOf(broker.get(prefix + "_RABBITMQ_PASSWORD"))))
				.as("rabbitmq gives " + user + " the password " + name + " sends")
				.isEqualTo(interpolate(String.valueOf(environment(name).get("RABBITMQ_PASSWORD"))))
				.isNotBlank();
			users.put(module, user);
		}
		assertThat(users.keySet()).as("RabbitMQ clients").containsExactlyInAnyOrder("order-service", "worker-service");
		assertThat(Files.readString(this.root.resolve("infra/rabbitmq/definitions.json"))).doesNotContain("guest");
		assertThat(String.join(" ", strings(service("rabbitmq").get("entrypoint"))))
			.as("rabbitmq renders its definitions before it starts")
			.contains("render-definitions.sh")
			.endsWith("exec docker-entrypoint.sh rabbitmq-server");
	}

	@Test
	void rabbitmqPermissionsAllowEachServiceOnlyWhatItUses() throws Exception {
		Map<String, Object> definitions = renderDefinitions();
		Map<String, String> passwords = new LinkedHashMap<>();
		environment("rabbitmq").forEach((key, value) -> {
			if (key.endsWith("_USER")) {
				passwords.put(String.valueOf(value), interpolate(String.valueOf(
						environment("rabbitmq").get(key.substring(0, key.length() - "_USER".length()) + "_PASSWORD"))));
			}
		});
		List<Map<String, Object>> users = maps(definitions.get("users"));
		assertThat(users).extracting((user) -> user.get("name"))
			.containsExactlyInAnyOrderElementsOf(passwords.keySet());
		for (Map<String, Object> user : users) {
			assertThat(user).as("user " + user.get("name")).doesNotContainKey("password");
			assertThat(user.get("hashing_algorithm")).isEqualTo("rabbit_password_hashing_sha256");
			assertHashOf(String.valueOf(user.get("password_hash")), passwords.get(String.valueOf(user.get("name"))),
					"user " + user.get("name"));
		}
		for (String service : List.of("order-service", "worker-service")) {
			Map<String, Object> permission = maps(definitions.get("permissions")).stream()
				.filter((candidate) -> service.equals(candidate.get("user")))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no permissions for " + service));
			assertThat(permission.get("vhost")).isEqualTo("/");
			Map<String, String> patterns = new LinkedHashMap<>();
			permission.forEach((key, value) -> patterns.put(key, String.valueOf(value)));
			RabbitPermissions.assertLeastPrivilege(service, patterns,
					RabbitPermissions.retryDelays(variables(service).get("MESSAGING_RETRY_DELAYS")),
					"infra/rabbitmq/definitions.json");
		}
	}

	@Test
	void renderingDefinitionsFailsWithoutAPassword() throws Exception {
		Process process = renderProcess(Map.of("RABBITMQ_ADMIN_USER", "admin"),
				Files.createTempFile("rabbit", ".json"));
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isNotZero();
		assertThat(output).contains("is not set");
	}

	/**
	 * RabbitMQ's rabbit_password_hashing_sha256: base64(salt + SHA-256(salt + password)).
	 */
	private static void assertHashOf(String hash, String password, String what) throws Exception {
		byte[] decoded = Base64.getDecoder().decode(hash);
		assertThat(decoded).as(what + " password hash: 4-byte salt and a SHA-256 digest").hasSize(36);
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		sha256.update(decoded, 0, 4);
		sha256.update(password.getBytes(StandardCharsets.UTF_8));
		assertThat(Arrays.copyOfRange(decoded, 4, 36)).as(what + ": the hash is of its password")
			.isEqualTo(sha256.digest());
	}

	private Map<String, Object> renderDefinitions() throws Exception {
		Path output = Files.createTempDirectory("rabbitmq-definitions").resolve("definitions.json");
		Map<String, String> variables = new LinkedHashMap<>();
		environment("rabbitmq").forEach((key, value) -> variables.put(key, interpolate(String.valueOf(value))));
		Process process = renderProcess(variables, output);
		String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(log).isZero();
		String rendered = Files.readString(output);
		variables.forEach((key, value) -> {
			if (key.endsWith("_PASSWORD")) {
				assertThat(rendered).as("the rendered definitions hold no password in clear").doesNotContain(value);
			}
		});
		return new Yaml().load(rendered);
	}

	private Process renderProcess(Map<String, String> variables, Path output) throws IOException {
		Path directory = this.root.resolve("infra/rabbitmq");
		ProcessBuilder builder = new ProcessBuilder("bash", directory.resolve("render-definitions.sh").toString(),
				directory.resolve("definitions.json").toString(), output.toString())
			.redirectErrorStream(true);
		builder.environment().keySet().removeIf((key) -> key.contains("RABBITMQ"));
		builder.environment().putAll(variables);
		return builder.start();
	}

	/**
	 * A compose value with its {@code ${NAME:-default}} parts replaced by their defaults.
	 */
	private static String interpolate(String value) {
		return Pattern.compile("\\$\\{[A-Z0-9_]+:-([^}]*)}").matcher(value).replaceAll("$1");
	}

	private static List<String> strings(Object value) {
		return (value instanceof List<?> list) ? list.stream().map(String::valueOf).toList() : List.of();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> maps(Object value) {
		return (value instanceof List<?> list) ? list.stream().map((item) -> (Map<String, Object>) item).toList()
				: List.of();
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
