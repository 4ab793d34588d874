package dev.sysdesign.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Zipkin server (in-memory storage) as a separate process on a free loopback port,
 * started from the exec jar the build copies to {@code target/zipkin} (Zipkin's own
 * {@code io.zipkin:zipkin-server}, as {@code scripts/platform.sh} runs it). Services send
 * it their spans when started with {@link #serviceEnvironment()}.
 */
final class ZipkinServer implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Process process;

	private final int port;

	private ZipkinServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts the server; {@link #awaitReady(Duration)} waits until it answers.
	 * @return the running process
	 */
	static ZipkinServer start() {
		Path jar = Path.of("target", "zipkin", "zipkin-server.jar").toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: the build copies it before the integration tests "
					+ "(./mvnw verify -pl system-tests)");
		}
		int port = ServiceProcess.freePort();
		List<String> command = new ArrayList<>(List.of(ServiceProcess.JAVA, "-Xmx192m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
				"--armeria.ports[0].port=" + port, "--armeria.ports[0].ip=127.0.0.1",
				"--armeria.ports[0].protocols[0]=http", "--zipkin.storage.mem.max-spans=50000"));
		Path log = ServiceProcess.outputDirectory().resolve("zipkin.log");
		try {
			return new ZipkinServer(
					new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Waits until the server is up.
	 * @param timeout how long to wait
	 * @return this
	 */
	ZipkinServer awaitReady(Duration timeout) {
		Awaitility.await("Zipkin ready")
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new AssertionError("Zipkin exited with " + this.process.exitValue());
				}
				return Http.get(baseUrl() + "/health").statusCode() == 200;
			});
		return this;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * The environment that makes a service send every span here.
	 * @return environment variables
	 */
	Map<String, String> serviceEnvironment() {
		return Map.of("TRACING_EXPORT_ENABLED", "true", "ZIPKIN_ENDPOINT", baseUrl() + "/api/v2/spans",
				"TRACING_SAMPLING_PROBABILITY", "1.0");
	}

	/**
	 * The traces holding a span of a service with a tag.
	 * @param serviceName the service
	 * @param tag the tag, {@code key=value}
	 * @return each trace as a list of spans (Zipkin's v2 JSON)
	 */
	List<List<JsonNode>> traces(String serviceName, String tag) {
		HttpResponse<String> response = Http.get(baseUrl() + "/api/v2/traces?limit=10&lookback=3600000&serviceName="
				+ serviceName + "&annotationQuery=" + URLEncoder.encode(tag, StandardCharsets.UTF_8));
		if (response.statusCode() != 200) {
			throw new AssertionError("Zipkin answered " + response.statusCode() + ": " + response.body());
		}
		List<List<JsonNode>> traces = new ArrayList<>();
		for (JsonNode trace : json.readTree(response.body())) {
			List<JsonNode> spans = new ArrayList<>();
			trace.forEach(spans::add);
			traces.add(spans);
		}
		return traces;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			this.process.waitFor(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process.destroyForcibly();
	}

}
