package dev.sysdesign.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

import dev.sysdesign.testing.PlatformInfrastructure;

/**
 * One service instance as a separate JVM, launched the way the Dockerfile launches it:
 * the executable jar's layers are extracted ({@code -Djarmode=tools extract --layers}),
 * copied on top of each other into one directory in the Dockerfile's order, and started
 * with {@code java -jar application.jar}. Its output goes to
 * {@code target/system-tests/<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {

	/** The JVM used for the services: this test's own. */
	static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

	private static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies",
			"application");

	/**
	 * Modules extracted by this JVM: each test run extracts the jars it was given afresh.
	 */
	private static final java.util.Set<String> extracted = new java.util.HashSet<>();

	private final String name;

	private final Process process;

	private final Path log;

	private final int port;

	private final int managementPort;

	private ServiceProcess(String name, Process process, Path log, int port, int managementPort) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.port = port;
		this.managementPort = managementPort;
	}

	/**
	 * Starts a service from its extracted layout.
	 * @param module the module ({@code order-service}, {@code gateway-service}, ...)
	 * @param name the instance's name, for its log file
	 * @param port its HTTP port (its actuator gets a free port of its own:
	 * {@link #managementUrl()})
	 * @param environment environment variables
	 * @param arguments extra command-line arguments ({@code --key=value})
	 * @return the running process
	 */
	static ServiceProcess start(String module, String name, int port, Map<String, String> environment,
			List<String> arguments) {
		Path layout = extractedLayout(module);
		Path log = outputDirectory().resolve(name + ".log");
		List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
				"--enable-native-access=ALL-UNNAMED", "-jar", "application.jar", "--server.port=" + port));
		int managementPort = freePort();
		command.add("--management.server.port=" + managementPort);
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).directory(layout.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		try {
			return new ServiceProcess(name, builder.start(), log, port, managementPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The command-line arguments pointing a service at the test infrastructure.
	 * @param schema the service's schema, or empty
	 * @return {@code --key=value} arguments
	 */
	static List<String> infrastructureArguments(String schema) {
		Map<String, Object> properties = PlatformInfrastructure.get().springProperties(schema, java.util.Set.of());
		return properties.entrySet().stream().map((entry) -> "--" + entry.getKey() + "=" + entry.getValue()).toList();
	}

	/** Ports handed out by this JVM: never twice. */
	private static final java.util.Set<Integer> handedOut = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/**
	 * Finds a free TCP port for a process to listen on a few seconds later. It comes from
	 * below the kernel's ephemeral range ({@code ip_local_port_range}): an ephemeral port
	 * that is free now can be taken meanwhile by any outbound connection on the machine
	 * (a JVM connecting to MariaDB, say), and the process would then fail to start; a
	 * port below that range is only ever taken by a listener that asks for it by number.
	 * @return the port
	 */
	static int freePort() {
		int below = ephemeralRangeStart();
		java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = random.nextInt(10_000, below);
			if (!handedOut.contains(port) && bindable(port) && handedOut.add(port)) {
				return port;
			}
		}
		throw new IllegalStateException("no free port below " + below);
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(false);
			socket.bind(new java.net.InetSocketAddress(port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int ephemeralRangeStart() {
		try {
			String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
			return Math.max(11_000, Integer.parseInt(range.split("\\s+")[0]));
		}
		catch (IOException | RuntimeException ex) {
			return 32_768;
		}
	}

	/**
	 * Extracts a module's executable jar the way the Dockerfile does, once per test run.
	 * @param module the module
	 * @return the directory holding {@code application.jar} and {@code lib/}
	 */
	static synchronized Path extractedLayout(String module) {
		Path root = PlatformInfrastructure.repositoryRoot();
		Path jar = root.resolve(module).resolve("target").resolve(module + "-exec.jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: run ./mvnw package (or verify) from the root first");
		}
		Path work = outputDirectory().resolve("layers").resolve(module);
		Path merged = outputDirectory().resolve("app").resolve(module);
		if (extracted.contains(module)) {
			return merged;
		}
		deleteTree(work);
		deleteTree(merged);
		run(List.of(JAVA, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--layers", "--destination",
				work.toString(), "--application-filename", "application.jar", "--force"));
		for (String layer : LAYERS) {
			copyTree(work.resolve(layer), merged);
		}
		extracted.add(module);
		return merged;
	}

	private static void deleteTree(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void copyTree(Path from, Path to) {
		if (!Files.isDirectory(from)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path source : (Iterable<Path>) paths::iterator) {
				Path target = to.resolve(from.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Path outputDirectory() {
		Path directory = Path.of("target", "system-tests").toAbsolutePath();
		try {
			return Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	String managementUrl() {
		return "http://127.0.0.1:" + this.managementPort;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Waits until the instance answers its readiness endpoint with 200.
	 * @param timeout how long to wait
	 * @return this
	 */
	ServiceProcess awaitReady(Duration timeout) {
		Awaitility.await(this.name + " ready (log: " + this.log + ")")
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new AssertionError(this.name + " exited with " + this.process.exitValue() + ":\n" + output());
				}
				return dev.sysdesign.testing.ServiceContract.get(this.managementUrl() + "/actuator/health/readiness")
					.statusCode() == 200;
			});
		return this;
	}

	/**
	 * For a gateway: waits until its discovery routes to a ready instance of each
	 * service. A downstream process being ready is not enough: the gateway notices at its
	 * next probe, and a request routed before that gets 503.
	 * @param services the service ids
	 * @return this
	 */
	ServiceProcess awaitRoutesTo(String... services) {
		Awaitility.await(this.name + " routes to " + String.join(", ", services))
			.atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> {
				tools.jackson.databind.JsonNode known = tools.jackson.databind.json.JsonMapper.builder()
					.build()
					.readTree(dev.sysdesign.testing.ServiceContract.get(this.managementUrl() + "/actuator/instances")
						.body())
					.get("services");
				for (String service : services) {
					boolean ready = false;
					for (tools.jackson.databind.JsonNode instance : known.get(service).get("instances")) {
						ready |= instance.get("ready").asBoolean();
					}
					if (!ready) {
						return false;
					}
				}
				return true;
			});
		return this;
	}

	/**
	 * Waits for the process to exit.
	 * @param timeout how long to wait
	 * @return the exit code
	 */
	int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError(this.name + " still runs after " + timeout + ":\n" + output());
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Everything the process printed so far.
	 * @return its output
	 */
	String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex + ")";
		}
	}

	/** Kills the process at once ({@code kill -9}). */
	void kill() {
		this.process.destroyForcibly();
		awaitExit(Duration.ofSeconds(30));
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
			}
		}
	}

	static Map<String, String> env(String... pairs) {
		Map<String, String> environment = new LinkedHashMap<>();
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			environment.put(pairs[i], pairs[i + 1]);
		}
		return environment;
	}

}
