package dev.sysdesign.system;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/platform.sh} as its users run it: {@code up} brings the six instances up
 * ready, {@code scale order-service 5} after 4 hands a fifth of the users to the new
 * instance — taken from all four, as the gateway's {@code /actuator/instances?key=}
 * reports the owners — {@code scale} back to 2 works, and {@code down} leaves nothing
 * running.
 */
class PlatformScriptIntegrationTests {

	static final Path root = PlatformInfrastructure.repositoryRoot();

	static final Path runDirectory = Path.of("target", "platform-run").toAbsolutePath();

	static final String management = "http://127.0.0.1:8090";

	static final int USERS = 1000;

	static final JsonMapper json = JsonMapper.builder().build();

	@AfterAll
	static void down() {
		platform("down");
	}

	@Test
	void upScaleAndDown() {
		assertThat(portOpen(8080)).as("port 8080 is free (stop a running platform first)").isFalse();
		String up = platform("up");
		assertThat(up).contains("ready in");
		assertThat(Pattern.compile("\\bready\\b").matcher(platform("status")).results().count()).isEqualTo(6);
		assertThat(listeners(8080)).as("the gateway's public port listens on every interface")
			.containsOnly(Listener.ANY);
		assertThat(Stream.of(8090, 8081, 8091, 8181, 8191, 8082, 8092, 8182, 8192, 8083, 8093))
			.as("services and management ports listen on loopback only")
			.allSatisfy((port) -> assertThat(listeners(port)).as("port " + port)
				.isNotEmpty()
				.containsOnly(Listener.LOOPBACK));

		platform("scale", "order-service", "4");
		awaitReadyOrderInstances(4);
		Map<Integer, String> four = owners(4);
		platform("scale", "order-service", "5");
		awaitReadyOrderInstances(5);
		Map<Integer, String> five = owners(5);
		Map<String, Integer> givenAway = new HashMap<>();
		int moved = 0;
		for (int user = 1; user <= USERS; user++) {
			if (!four.get(user).equals(five.get(user))) {
				moved++;
				assertThat(five.get(user)).as("moved users go to the new instance").isEqualTo("127.0.0.1:8481");
				givenAway.merge(four.get(user), 1, Integer::sum);
			}
		}
		assertThat(moved).as("users moved out of " + USERS).isBetween(USERS * 15 / 100, USERS * 25 / 100);
		assertThat(givenAway).as("taken from all four").hasSize(4);

		platform("scale", "order-service", "2");
		awaitReadyOrderInstances(2);
		platform("down");
		assertThat(Stream.of(8080, 8090, 8081, 8181, 8281, 8381, 8481, 8082, 8182, 8083))
			.allSatisfy((port) -> assertThat(portOpen(port)).as("port " + port + " after down").isFalse());
	}

	/**
	 * The owner of each user, read with the same {@code instances} ready throughout:
	 * 1,000 questions take a while, and on a loaded machine a readiness probe can time
	 * out in between and move an instance's users for a moment. A pass during which the
	 * ready set changed is not a snapshot of one set of instances, so it is taken again.
	 */
	private static Map<Integer, String> owners(int instances) {
		for (int pass = 1; pass <= 5; pass++) {
			java.util.Set<String> before = readyOrderInstances();
			Map<Integer, String> owners = new HashMap<>();
			for (int user = 1; user <= USERS; user++) {
				JsonNode orders = orderService("?key=" + user);
				assertThat(orders.has("owner")).as(orders.toString()).isTrue();
				owners.put(user, orders.get("owner").asString());
			}
			if (before.size() == instances && before.equals(readyOrderInstances())
					&& new java.util.HashSet<>(owners.values()).equals(before)) {
				return owners;
			}
		}
		throw new AssertionError("the ready order-service instances kept changing: " + readyOrderInstances());
	}

	private static java.util.Set<String> readyOrderInstances() {
		java.util.Set<String> ready = new java.util.TreeSet<>();
		for (JsonNode instance : orderService("").get("instances")) {
			if (instance.get("ready").asBoolean()) {
				ready.add(instance.get("instanceId").asString());
			}
		}
		return ready;
	}

	private static void awaitReadyOrderInstances(int count) {
		Awaitility.await("order-service instances ready at the gateway")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				int ready = 0;
				for (JsonNode instance : orderService("").get("instances")) {
					ready += instance.get("ready").asBoolean() ? 1 : 0;
				}
				return ready == count;
			});
	}

	private static JsonNode orderService(String query) {
		HttpResponse<String> response = Http.get(management + "/actuator/instances" + query);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body()).get("services").get("order-service");
	}

	private static String platform(String... arguments) {
		List<String> command = new java.util.ArrayList<>();
		command.add(root.resolve("scripts/platform.sh").toString());
		command.addAll(List.of(arguments));
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
			builder.environment().put("PLATFORM_RUN_DIR", runDirectory.toString());
			Process process = builder.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(6, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new AssertionError("platform.sh " + String.join(" ", arguments) + " failed:\n" + output + logs());
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String logs() {
		try (Stream<Path> files = Files.list(runDirectory)) {
			StringBuilder tail = new StringBuilder();
			for (Path log : files.filter((f) -> f.toString().endsWith(".log")).toList()) {
				List<String> lines = Files.readAllLines(log);
				tail.append("\n--- ").append(log.getFileName()).append('\n');
				lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach((l) -> tail.append(l).append('\n'));
			}
			return tail.toString();
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * What the sockets listening on a local TCP port are bound to, read from the kernel's
	 * tables ({@code /proc/net/tcp} and {@code tcp6}, state {@code 0A}).
	 */
	private static java.util.Set<Listener> listeners(int port) {
		java.util.Set<Listener> listeners = java.util.EnumSet.noneOf(Listener.class);
		String hexPort = String.format(":%04X", port);
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			try {
				// read once: the table changes between two reads (sockets open and close)
				List<String> lines = Files.readAllLines(Path.of(table));
				for (String line : lines.subList(1, lines.size())) {
					String[] fields = line.trim().split("\\s+");
					if (!fields[1].endsWith(hexPort) || !fields[3].equals("0A")) {
						continue;
					}
					String address = fields[1].substring(0, fields[1].indexOf(':'));
					if (address.matches("0+")) {
						listeners.add(Listener.ANY);
					}
					else if (address.equals("0100007F") || address.equals("00000000000000000000000001000000")
							|| address.equals("0000000000000000FFFF00000100007F")) {
						listeners.add(Listener.LOOPBACK);
					}
					else {
						listeners.add(Listener.OTHER);
					}
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return listeners;
	}

	enum Listener {

		ANY, LOOPBACK, OTHER

	}

	private static boolean portOpen(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
