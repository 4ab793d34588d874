package dev.sysdesign.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import org.awaitility.Awaitility;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * Testcontainers for machines with Docker: a MySQL 8.4 primary and replica with GTID
 * replication (provisioned the way the compose file's {@code mysql-init} container does
 * it), Redis and RabbitMQ with the management plugin. The replica is reached through a
 * {@link TcpProxy} so that stopping and starting its container (which changes the mapped
 * port) is invisible to the services.
 */
final class ContainerInfrastructure extends PlatformInfrastructure {

	private static final String ROOT_PASSWORD = "root";

	private final Network network = Network.newNetwork();

	private final GenericContainer<?> primaryContainer = mysql("mysql-primary", 1);

	private final GenericContainer<?> replicaContainer = mysql("mysql-replica", 2).withCommand("--server-id=2",
			"--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--log-bin=mysql-bin", "--read-only=ON");

	private final GenericContainer<?> redisContainer = new GenericContainer<>(Images.REDIS).withExposedPorts(6379)
		.waitingFor(Wait.forListeningPort());

	private final RabbitMQContainer rabbitContainer = new RabbitMQContainer(Images.RABBITMQ);

	private final TcpProxy replicaProxy;

	ContainerInfrastructure() {
		Startables.deepStart(this.primaryContainer, this.replicaContainer, this.redisContainer, this.rabbitContainer)
			.join();
		this.replicaProxy = proxy(Component.REPLICA);
		provision();
	}

	private GenericContainer<?> mysql(String alias, int serverId) {
		return new GenericContainer<>(Images.MYSQL).withNetwork(this.network)
			.withNetworkAliases(alias)
			.withEnv("MYSQL_ROOT_PASSWORD", ROOT_PASSWORD)
			.withCommand("--server-id=" + serverId, "--gtid-mode=ON", "--enforce-gtid-consistency=ON",
					"--log-bin=mysql-bin")
			.withExposedPorts(3306)
			.waitingFor(Wait.forLogMessage(".*ready for connections.*port: 3306.*", 1))
			.withStartupTimeout(Duration.ofMinutes(3));
	}

	private void provision() {
		Database primary = primary();
		List<String> statements = new ArrayList<>(initStatements());
		statements.add("GRANT REPLICATION CLIENT ON *.* TO 'orders'@'%'");
		primary.execute(statements.toArray(String[]::new));
		replicaAdmin()
			.execute("CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-primary', SOURCE_PORT=3306, SOURCE_USER='repl', "
					+ "SOURCE_PASSWORD='repl', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=1",
					"START REPLICA");
		awaitReplicating();
	}

	private static List<String> initStatements() {
		try {
			String script = Files.readString(repositoryRoot().resolve("infra/mysql/init.sql"), StandardCharsets.UTF_8);
			List<String> statements = new ArrayList<>();
			StringBuilder current = new StringBuilder();
			for (String line : script.split("\n")) {
				String trimmed = line.trim();
				if (trimmed.isEmpty() || trimmed.startsWith("--")) {
					continue;
				}
				current.append(trimmed).append(' ');
				if (trimmed.endsWith(";")) {
					statements.add(current.substring(0, current.lastIndexOf(";")));
					current.setLength(0);
				}
			}
			return statements;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read infra/mysql/init.sql", ex);
		}
	}

	@Override
	public String mode() {
		return "docker";
	}

	@Override
	public Database primary() {
		return new Database(Database.Product.MYSQL, this.primaryContainer.getHost(),
				this.primaryContainer.getMappedPort(3306), "root", ROOT_PASSWORD);
	}

	@Override
	public Database replica() {
		return new Database(Database.Product.MYSQL, this.replicaProxy.host(), this.replicaProxy.port(), "root",
				ROOT_PASSWORD);
	}

	@Override
	protected Database replicaAdmin() {
		return new Database(Database.Product.MYSQL, this.replicaContainer.getHost(), currentReplicaPort(), "root",
				ROOT_PASSWORD);
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
	public void freezePrimary() {
		DockerClientFactory.instance().client().pauseContainerCmd(this.primaryContainer.getContainerId()).exec();
	}

	@Override
	public void thawPrimary() {
		DockerClientFactory.instance().client().unpauseContainerCmd(this.primaryContainer.getContainerId()).exec();
	}

	@Override
	public void stopReplica() {
		DockerClient docker = DockerClientFactory.instance().client();
		docker.stopContainerCmd(this.replicaContainer.getContainerId()).withTimeout(10).exec();
		this.replicaProxy.cut();
	}

	@Override
	public void startReplica() {
		DockerClient docker = DockerClientFactory.instance().client();
		docker.startContainerCmd(this.replicaContainer.getContainerId()).exec();
		Awaitility.await("replica container accepts connections")
			.atMost(Duration.ofMinutes(2))
			.ignoreExceptions()
			.until(() -> {
				replicaAdmin().queryValue("SELECT 1");
				return true;
			});
		this.replicaProxy.retarget(this.replicaContainer.getHost(), currentReplicaPort());
		awaitReplicating();
	}

	private int currentReplicaPort() {
		Ports.Binding[] bindings = DockerClientFactory.instance()
			.client()
			.inspectContainerCmd(this.replicaContainer.getContainerId())
			.exec()
			.getNetworkSettings()
			.getPorts()
			.getBindings()
			.get(ExposedPort.tcp(3306));
		return Integer.parseInt(bindings[0].getHostPortSpec());
	}

}
