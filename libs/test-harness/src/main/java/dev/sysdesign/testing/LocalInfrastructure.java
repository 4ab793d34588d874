package dev.sysdesign.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local services of {@code scripts/infra.sh}: a MariaDB primary (3307) and replica
 * (3308) started by the script, and the machine's Redis and RabbitMQ.
 */
final class LocalInfrastructure extends PlatformInfrastructure {

	private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);

	private final Path root = repositoryRoot();

	private final Database primary = new Database(Database.Product.MARIADB, "127.0.0.1",
			port("PLATFORM_DB_PRIMARY_PORT", 3307), "root", "");

	private final Database replica = new Database(Database.Product.MARIADB, "127.0.0.1",
			port("PLATFORM_DB_REPLICA_PORT", 3308), "root", "");

	LocalInfrastructure() {
		infra("up");
	}

	@Override
	public String mode() {
		return "local";
	}

	@Override
	public Database primary() {
		return this.primary;
	}

	@Override
	public Database replica() {
		return this.replica;
	}

	@Override
	protected Database replicaAdmin() {
		return this.replica;
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
		signalPrimary("STOP");
	}

	@Override
	public void thawPrimary() {
		signalPrimary("CONT");
	}

	private void signalPrimary(String signal) {
		Path pidFile = Path.of(
				System.getenv()
					.getOrDefault("PLATFORM_INFRA_DIR",
							System.getProperty("user.home") + "/.local/state/sysdesign-platform/infra"),
				"primary", "mysqld.pid");
		try {
			String pid = java.nio.file.Files.readString(pidFile).trim();
			Process kill = new ProcessBuilder("kill", "-" + signal, pid).redirectErrorStream(true).start();
			String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot signal the primary (" + pidFile + ")", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
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

	private void infra(String... arguments) {
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
