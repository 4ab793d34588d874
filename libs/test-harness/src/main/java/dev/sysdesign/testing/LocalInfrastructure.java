package dev.sysdesign.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local services of {@code scripts/infra.sh}: three MariaDB nodes (3307, 3308, 3309;
 * which one is the primary is found by asking them), their failover monitor, and the
 * machine's Redis and RabbitMQ.
 */
final class LocalInfrastructure extends PlatformInfrastructure {

	private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);

	private final Path root = repositoryRoot();

	private final java.util.List<Database> nodes = java.util.Arrays
		.stream(System.getenv().getOrDefault("PLATFORM_DB_PORTS", "3307 3308 3309").trim().split("\\s+"))
		.map((port) -> new Database(Database.Product.MARIADB, "127.0.0.1", Integer.parseInt(port), "root", ""))
		.toList();

	LocalInfrastructure() {
		infra("up");
	}

	@Override
	public String mode() {
		return "local";
	}

	/** The writable node now. */
	@Override
	public Database primary() {
		return writableNode(this.nodes);
	}

	/** The first node that is not the primary. */
	@Override
	public Database replica() {
		return firstReplica(this.nodes);
	}

	@Override
	protected Database replicaAdmin() {
		return replica();
	}

	@Override
	public java.util.List<Database> nodes() {
		return this.nodes;
	}

	@Override
	public java.util.List<String> nodeAddresses() {
		return this.nodes.stream().map((node) -> node.host() + ":" + node.port()).toList();
	}

	@Override
	public String script(String... arguments) {
		return infra(arguments);
	}

	@Override
	public Endpoint redis() {
		return new Endpoint("127.0.0.1", port("PLATFORM_REDIS_PORT", 6379), "", "");
	}

	@Override
	public Endpoint rabbit() {
		return new Endpoint("127.0.0.1", port("PLATFORM_RABBIT_PORT", 5672), "guest", "guest");
	}

	@Override
	public void freezePrimary() {
		infra("freeze", "primary");
	}

	@Override
	public void thawPrimary() {
		infra("thaw", "primary");
	}

	@Override
	public void stopReplica() {
		infra("stop", "replica");
	}

	@Override
	public void startReplica() {
		infra("start", "replica");
		awaitReplicating();
	}

	private String infra(String... arguments) {
		String[] command = new String[arguments.length + 1];
		command[0] = this.root.resolve("scripts/infra.sh").toString();
		System.arraycopy(arguments, 0, command, 1, arguments.length);
		try {
			Process process = new ProcessBuilder(command).directory(this.root.toFile())
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(
						"scripts/infra.sh " + String.join(" ", arguments) + " failed:\n" + output);
			}
			log.debug("scripts/infra.sh {}:\n{}", String.join(" ", arguments), output);
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run scripts/infra.sh", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running scripts/infra.sh", ex);
		}
	}

	private static int port(String variable, int defaultPort) {
		String value = System.getenv(variable);
		return (value == null || value.isBlank()) ? defaultPort : Integer.parseInt(value.trim());
	}

}
