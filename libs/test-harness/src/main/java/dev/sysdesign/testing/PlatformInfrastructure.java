package dev.sysdesign.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The data services the platform's tests run against: a MySQL-compatible primary and
 * replica with GTID replication, Redis and RabbitMQ.
 * <p>
 * Where Docker runs, they are Testcontainers (MySQL 8.4 pair, Redis 7, RabbitMQ 4, tags
 * in {@link Images}); otherwise the local services of {@code scripts/infra.sh} (MariaDB
 * pair on 3307/3308, Redis 6379, RabbitMQ 5672), started by running that script when they
 * are not up. {@code PLATFORM_TEST_INFRA=docker|local} forces a choice. One instance per
 * JVM, shared by every test of the JVM.
 * <p>
 * Fault tools cause real faults and restore them: {@link #stopReplica()} stops the
 * replica's process (or container), {@link #proxy(Component)} puts a {@link TcpProxy}
 * between the service and Redis or RabbitMQ whose connections a test cuts.
 */
public abstract sealed class PlatformInfrastructure permits LocalInfrastructure, ContainerInfrastructure {

	private static final Logger log = LoggerFactory.getLogger(PlatformInfrastructure.class);

	/** A data service a test can reach through a proxy. */
	public enum Component {

		/** Redis. */
		REDIS,
		/** RabbitMQ (AMQP). */
		RABBITMQ,
		/** The database replica. */
		REPLICA

	}

	private static PlatformInfrastructure instance;

	private final Map<Component, TcpProxy> proxies = new EnumMap<>(Component.class);

	/**
	 * Returns the shared infrastructure, starting it on first use.
	 * @return the infrastructure
	 */
	public static synchronized PlatformInfrastructure get() {
		if (instance == null) {
			String mode = System.getenv().getOrDefault("PLATFORM_TEST_INFRA", "auto");
			boolean docker = switch (mode) {
				case "docker" -> true;
				case "local" -> false;
				default -> dockerMayRun() && DockerClientFactory.instance().isDockerAvailable();
			};
			log.info("Test infrastructure: {}",
					docker ? "Testcontainers (Docker)" : "local services (scripts/infra.sh)");
			instance = docker ? new ContainerInfrastructure() : new LocalInfrastructure();
			instance.startClean();
		}
		return instance;
	}

	/**
	 * The work queues of the platform (with their retry tiers) and the outboxes: what one
	 * test JVM leaves there — orders placed by one module's tests, results for orders
	 * another module never had — would otherwise be processed by the next module's
	 * services, adding a backlog of unknown size in front of that module's own messages.
	 * Each test JVM (one per Maven module) therefore starts with them empty.
	 */
	private static final java.util.List<String> WORK_QUEUES = java.util.List.of("worker.order-placed",
			"worker.order-cancelled", "order-service.order-processed", "dead-letters");

	private void startClean() {
		com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
		Endpoint rabbit = rabbit();
		factory.setHost(rabbit.host());
		factory.setPort(rabbit.port());
		factory.setUsername(rabbit.user());
		factory.setPassword(rabbit.password());
		int purged = 0;
		try (com.rabbitmq.client.Connection connection = factory.newConnection("test-harness-clean-start")) {
			for (String queue : WORK_QUEUES) {
				for (String name : queueAndRetryTiers(queue)) {
					try (com.rabbitmq.client.Channel channel = connection.createChannel()) {
						purged += channel.queuePurge(name).getMessageCount();
					}
					catch (java.io.IOException | com.rabbitmq.client.ShutdownSignalException ex) {
						// not declared (yet): nothing to purge
					}
				}
			}
		}
		catch (java.io.IOException | java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("Cannot reach RabbitMQ at " + rabbit.host() + ":" + rabbit.port(), ex);
		}
		int unsent = 0;
		for (String schema : java.util.List.of("orders", "worker")) {
			if ("1".equals(primary().queryValue("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '"
					+ schema + "' AND table_name = 'outbox'"))) {
				unsent += Integer.parseInt(primary().queryValue("SELECT COUNT(*) FROM " + schema + ".outbox"));
				primary().execute("DELETE FROM " + schema + ".outbox");
			}
		}
		log.info("Clean start: {} messages purged from the work queues, {} outbox rows removed", purged, unsent);
	}

	/**
	 * A work queue and its retry tiers as declared in any run (tiers are named by delay).
	 */
	private static java.util.List<String> queueAndRetryTiers(String queue) {
		java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of(queue));
		for (String delay : java.util.List.of("200", "400", "1000", "10000", "60000")) {
			names.add(queue + ".retry." + delay + "ms");
		}
		return names;
	}

	/**
	 * Without a Docker socket or DOCKER_HOST, skip Testcontainers' probing (and its error
	 * log).
	 */
	private static boolean dockerMayRun() {
		return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
				|| Files.exists(Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"))
				|| Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
	}

	/**
	 * Describes where the services run, for messages.
	 * @return {@code "docker"} or {@code "local"}
	 */
	public abstract String mode();

	/**
	 * The primary database.
	 * @return its endpoint
	 */
	public abstract Database primary();

	/**
	 * A replica as the services reach it.
	 * @return its endpoint
	 */
	public abstract Database replica();

	/**
	 * Every database node, for administrative statements, in the order of
	 * {@link #nodeAddresses()}.
	 * @return the nodes (primary and replicas alike)
	 */
	public abstract java.util.List<Database> nodes();

	/**
	 * Every database node's address, as the services' {@code platform.datasource.nodes}.
	 * @return {@code host:port} of each node
	 */
	public abstract java.util.List<String> nodeAddresses();

	/**
	 * Runs the database cluster's operations script ({@code scripts/infra.sh} locally):
	 * {@code kill primary}, {@code stop NODE}, {@code up}, {@code switchover db1},
	 * {@code status}.
	 * @param arguments the script's arguments
	 * @return what it printed
	 * @throws UnsupportedOperationException where the cluster is not run by the script
	 */
	public abstract String script(String... arguments);

	/**
	 * Redis.
	 * @return host and port
	 */
	public abstract Endpoint redis();

	/**
	 * RabbitMQ's AMQP port.
	 * @return host, port and credentials
	 */
	public abstract Endpoint rabbit();

	/**
	 * Stops the replica's server process (or container) for real. Always pair with
	 * {@link #startReplica()} in a {@code finally} block.
	 */
	public abstract void stopReplica();

	/**
	 * Starts the replica again and waits until it replicates.
	 */
	public abstract void startReplica();

	/**
	 * Freezes the primary's server process ({@code SIGSTOP}, or a paused container): its
	 * connections stay open and answer nothing, the way a hung or overloaded database
	 * behaves. Always pair with {@link #thawPrimary()} in a {@code finally} block.
	 */
	public abstract void freezePrimary();

	/** Lets a frozen primary run again ({@code SIGCONT}, or an unpaused container). */
	public abstract void thawPrimary();

	/**
	 * Stops applying replicated changes on the replica (its lag becomes unknown, so
	 * services treat it as not replicating). Pair with {@link #resumeReplicaApply()}.
	 */
	public void pauseReplicaApply() {
		replicaAdmin().execute(replicaAdmin().replication().stopSqlThread());
	}

	/** Resumes applying replicated changes. */
	public void resumeReplicaApply() {
		replicaAdmin().execute(replicaAdmin().replication().startSqlThread());
	}

	/**
	 * Makes the replica apply every change a fixed time after the primary committed it
	 * ({@code MASTER_DELAY}/{@code SOURCE_DELAY}): healthy but behind.
	 * @param delay the delay, whole seconds; zero removes it
	 */
	public void delayReplica(Duration delay) {
		Database.ReplicationStatements statements = replicaAdmin().replication();
		replicaAdmin().execute(statements.stop(), statements.delayFormat().formatted(delay.toSeconds()),
				statements.start());
		awaitReplicating();
	}

	/**
	 * Waits until the replica runs both replication threads and has applied everything
	 * the primary had committed when this method was called.
	 */
	public void awaitReplicating() {
		String marker = "marker-" + System.nanoTime();
		primary().execute("CREATE DATABASE IF NOT EXISTS harness",
				"CREATE TABLE IF NOT EXISTS harness.marker (id INT PRIMARY KEY, value VARCHAR(64))",
				"REPLACE INTO harness.marker VALUES (1, '" + marker + "')");
		Awaitility.await("replica applies " + marker)
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> marker.equals(replicaAdmin().queryValue("SELECT value FROM harness.marker WHERE id = 1")));
	}

	/**
	 * The node that is writable now (it moves with failovers and switchovers).
	 * @param nodes every node
	 * @return the primary
	 * @throws IllegalStateException when no node is writable
	 */
	protected static Database writableNode(java.util.List<Database> nodes) {
		for (Database node : nodes) {
			if (isWritable(node)) {
				return node;
			}
		}
		throw new IllegalStateException("No writable database node among "
				+ nodes.stream().map((node) -> node.host() + ":" + node.port()).toList());
	}

	/**
	 * The first node that is not the primary.
	 * @param nodes every node
	 * @return a replica
	 */
	protected static Database firstReplica(java.util.List<Database> nodes) {
		Database primary = writableNode(nodes);
		return nodes.stream()
			.filter((node) -> node.port() != primary.port() || !node.host().equals(primary.host()))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no replica node"));
	}

	private static boolean isWritable(Database node) {
		try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
				"jdbc:mariadb://" + node.host() + ":" + node.port() + "/?connectTimeout=1000&socketTimeout=2000",
				node.adminUser(), node.adminPassword());
				java.sql.Statement statement = connection.createStatement();
				java.sql.ResultSet result = statement.executeQuery("SELECT @@read_only")) {
			return result.next() && result.getInt(1) == 0;
		}
		catch (java.sql.SQLException ex) {
			return false;
		}
	}

	/**
	 * The replica for administrative statements (the server itself, never a proxy).
	 * @return the replica server
	 */
	protected abstract Database replicaAdmin();

	/**
	 * Returns the proxy in front of a component, creating it on first use. Every test
	 * context that asked for this component to be proxied shares it.
	 * @param component the component
	 * @return the proxy
	 */
	public synchronized TcpProxy proxy(Component component) {
		return this.proxies.computeIfAbsent(component, (key) -> switch (key) {
			case REDIS -> TcpProxy.start(redis().host(), redis().port());
			case RABBITMQ -> TcpProxy.start(rabbit().host(), rabbit().port());
			case REPLICA -> TcpProxy.start(replicaAdmin().host(), replicaAdmin().port());
		});
	}

	/**
	 * The Spring properties that point a service at this infrastructure.
	 * @param schema the service's database schema (also its user and password), or empty
	 * for a service without a database
	 * @param proxied components to reach through their {@link #proxy(Component) proxy}
	 * @return Boot properties ({@code spring.datasource.*}, {@code spring.data.redis.*},
	 * {@code spring.rabbitmq.*}) and the replica's
	 * ({@code platform.datasource.replica.*})
	 */
	public Map<String, Object> springProperties(String schema, Set<Component> proxied) {
		Map<String, Object> properties = new LinkedHashMap<>();
		if (!schema.isEmpty()) {
			Database primary = primary();
			properties.put("spring.datasource.url", primary.jdbcUrl(schema));
			properties.put("platform.datasource.nodes", String.join(",", nodeAddresses()));
			properties.put("spring.datasource.username", schema);
			properties.put("spring.datasource.password", schema);
			Database replica = replica();
			if (proxied.contains(Component.REPLICA)) {
				TcpProxy proxy = proxy(Component.REPLICA);
				replica = new Database(replica.product(), proxy.host(), proxy.port(), replica.adminUser(),
						replica.adminPassword());
			}
			properties.put("platform.datasource.replica.url", replica.jdbcUrl(schema));
			properties.put("platform.datasource.replica.username", schema);
			properties.put("platform.datasource.replica.password", schema);
		}
		Endpoint redis = proxied.contains(Component.REDIS) ? proxyEndpoint(Component.REDIS, redis()) : redis();
		properties.put("spring.data.redis.host", redis.host());
		properties.put("spring.data.redis.port", redis.port());
		Endpoint rabbit = proxied.contains(Component.RABBITMQ) ? proxyEndpoint(Component.RABBITMQ, rabbit()) : rabbit();
		properties.put("spring.rabbitmq.host", rabbit.host());
		properties.put("spring.rabbitmq.port", rabbit.port());
		properties.put("spring.rabbitmq.username", rabbit.user());
		properties.put("spring.rabbitmq.password", rabbit.password());
		return properties;
	}

	private Endpoint proxyEndpoint(Component component, Endpoint real) {
		TcpProxy proxy = proxy(component);
		return new Endpoint(proxy.host(), proxy.port(), real.user(), real.password());
	}

	/**
	 * Finds the repository's root directory (the one holding {@code scripts/infra.sh})
	 * from the working directory upwards.
	 * @return the root
	 */
	public static Path repositoryRoot() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null) {
			if (Files.isRegularFile(directory.resolve("scripts/infra.sh"))) {
				return directory;
			}
			directory = directory.getParent();
		}
		throw new IllegalStateException("No scripts/infra.sh above " + Path.of("").toAbsolutePath());
	}

	/**
	 * A network service's address.
	 *
	 * @param host the host
	 * @param port the port
	 * @param user the user, empty when none
	 * @param password the password, empty when none
	 */
	public record Endpoint(String host, int port, String user, String password) {
	}

}
