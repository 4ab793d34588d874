package dev.sysdesign.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.dockerjava.api.model.HostConfig;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.MountableFile;

/**
 * Testcontainers for machines with Docker: the MariaDB cluster of
 * {@code scripts/infra.sh} (three nodes, semi-synchronous GTID replication and the
 * failover monitor) inside one MariaDB container that runs the very same script, so that
 * both modes run the same cluster and the fault tests kill, stop and freeze the same
 * {@code mariadbd} processes ({@link #script(String...)} runs it in the container); Redis
 * and RabbitMQ with the management plugin.
 */
final class ContainerInfrastructure extends PlatformInfrastructure {

	private static final String ROOT_PASSWORD = "root";

	private static final List<Integer> NODE_PORTS = List.of(3307, 3308, 3309);

	private final GenericContainer<?> databaseContainer = new GenericContainer<>(Images.MARIADB)
		.withCopyFileToContainer(MountableFile.forHostPath(repositoryRoot().resolve("scripts"), 0755),
				"/platform/scripts")
		.withCopyFileToContainer(MountableFile.forHostPath(repositoryRoot().resolve("infra/mysql"), 0755),
				"/platform/infra/mysql")
		.withCopyFileToContainer(MountableFile.forHostPath(repositoryRoot().resolve("infra/mariadb"), 0755),
				"/platform/infra/mariadb")
		.withEnv("PLATFORM_INFRA_SERVICES", "db")
		.withEnv("PLATFORM_INFRA_DIR", "/var/lib/platform")
		.withEnv("PLATFORM_DB_BIND", "0.0.0.0")
		.withEnv("PLATFORM_DB_ROOT_PASSWORD", ROOT_PASSWORD)
		// an init process reaps the nodes that fault tests kill
		.withCreateContainerCmdModifier((command) -> {
			command.withEntrypoint("bash");
			HostConfig host = (command.getHostConfig() != null) ? command.getHostConfig() : HostConfig.newHostConfig();
			command.withHostConfig(host.withInit(true));
		})
		.withCommand("-c", "bash /platform/scripts/infra.sh up && exec sleep infinity")
		.withExposedPorts(NODE_PORTS.toArray(Integer[]::new))
		.waitingFor(Wait.forLogMessage("(?s)monitor +up.*", 1))
		.withStartupTimeout(Duration.ofMinutes(3));

	private final GenericContainer<?> redisContainer = new GenericContainer<>(Images.REDIS).withExposedPorts(6379)
		.waitingFor(Wait.forListeningPort());

	private final RabbitMQContainer rabbitContainer = new RabbitMQContainer(Images.RABBITMQ);

	ContainerInfrastructure() {
		Startables.deepStart(this.databaseContainer, this.redisContainer, this.rabbitContainer).join();
	}

	@Override
	public String mode() {
		return "docker";
	}

	@Override
	public List<Database> nodes() {
		List<Database> nodes = new ArrayList<>();
		for (int port : NODE_PORTS) {
			nodes.add(new Database(Database.Product.MARIADB, this.databaseContainer.getHost(),
					this.databaseContainer.getMappedPort(port), "root", ROOT_PASSWORD));
		}
		return nodes;
	}

	@Override
	public Database primary() {
		return writableNode(nodes());
	}

	@Override
	public Database replica() {
		return firstReplica(nodes());
	}

	@Override
	protected Database replicaAdmin() {
		return replica();
	}

	@Override
	public List<String> nodeAddresses() {
		return nodes().stream().map((node) -> node.host() + ":" + node.port()).toList();
	}

	@Override
	public Endpoint redis() {
		return new Endpoint(this.redisContainer.getHost(), this.redisContainer.getMappedPort(6379), "", "");
	}

	@Override
	public Endpoint rabbit() {
		return new Endpoint(this.rabbitContainer.getHost(), this.rabbitContainer.getAmqpPort(),
				this.rabbitContainer.getAdminUsername(), this.rabbitContainer.getAdminPassword());
	}

	@Override
	public String script(String... arguments) {
		List<String> command = new ArrayList<>(List.of("bash", "/platform/scripts/infra.sh"));
		command.addAll(List.of(arguments));
		try {
			Container.ExecResult result = this.databaseContainer.execInContainer(command.toArray(String[]::new));
			String output = result.getStdout() + result.getStderr();
			if (result.getExitCode() != 0) {
				throw new IllegalStateException(
						"scripts/infra.sh " + String.join(" ", arguments) + " failed in the container:\n" + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run scripts/infra.sh in the container", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void freezePrimary() {
		script("freeze", "primary");
	}

	@Override
	public void thawPrimary() {
		script("thaw", "primary");
	}

	@Override
	public void stopReplica() {
		script("stop", "replica");
	}

	@Override
	public void startReplica() {
		script("start", "replica");
		awaitReplicating();
	}

}
