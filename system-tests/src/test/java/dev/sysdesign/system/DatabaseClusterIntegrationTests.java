package dev.sysdesign.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sysdesign.testing.Database;
import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database cluster's failover guarantees, on the real nodes and the real monitor of
 * {@code scripts/infra.sh}: a replica is promoted only when it holds every acknowledged
 * transaction, so no acknowledged write is ever lost; a node that comes back rejoins as a
 * replica and every node ends with the same data. Each test leaves the cluster as it
 * found it: three nodes, db1 the primary.
 */
class DatabaseClusterIntegrationTests {

	final PlatformInfrastructure infrastructure = PlatformInfrastructure.get();

	@BeforeEach
	void healthyCluster() {
		DatabaseCluster.restoreFirstNodeAsPrimary();
		this.infrastructure.primary()
			.execute("CREATE DATABASE IF NOT EXISTS harness",
					"CREATE TABLE IF NOT EXISTS harness.acknowledged (id BIGINT PRIMARY KEY)",
					"CREATE TABLE IF NOT EXISTS harness.restore_probe (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
							+ " user_id BIGINT NOT NULL, total_cents BIGINT NOT NULL, created_at DATETIME(3) NOT NULL)");
	}

	@AfterEach
	void restoreCluster() {
		DatabaseCluster.restoreFirstNodeAsPrimary();
	}

	/**
	 * One replica stopped, then the primary killed under a stream of commits: the other
	 * replica, the only one that acknowledged commits since, is promoted and holds every
	 * commit the writer was told succeeded.
	 */
	@Test
	void replicaStoppedThenPrimaryKilledPromotesTheReplicaHoldingEveryAcknowledgedCommit() throws Exception {
		Database primary = this.infrastructure.primary();
		Database remaining = this.infrastructure.nodes().get(2);
		long base = System.nanoTime() % 1_000_000_000L * 1000;
		long mark = DatabaseCluster.failoverLogMark();
		try (Writer writer = new Writer(primary, base)) {
			writer.awaitAcknowledged(50);
			this.infrastructure.script("stop", "db2");
			int beforeKill = writer.acknowledged().size() + 50;
			writer.awaitAcknowledged(beforeKill);
			this.infrastructure.script("kill", "primary");
			writer.awaitStopped();

			Database promoted = DatabaseCluster.awaitNewPrimary(primary, Duration.ofSeconds(15));
			assertThat(promoted.port()).as("the replica that kept acknowledging").isEqualTo(remaining.port());
			assertThat(missingOn(promoted, writer.acknowledged())).as("acknowledged commits missing after failover")
				.isEmpty();
			assertThat(DatabaseCluster.failoverLogSince(mark)).contains("failover db1 -> db3");

			DatabaseCluster.restoreAllNodes();
			assertThat(this.infrastructure.primary().port()).isEqualTo(remaining.port());
			for (Database node : this.infrastructure.nodes()) {
				assertThat(missingOn(node, writer.acknowledged())).as("missing on " + node.port()).isEmpty();
			}
			DatabaseCluster.assertIdenticalOnEveryNode();
		}
	}

	/**
	 * Both replicas gone for longer than the semi-synchronous timeout: the primary falls
	 * back to asynchronous replication and acknowledges a commit no replica has. Killed
	 * then, it is not replaced although both replicas come back: promoting one would lose
	 * that commit. Restarted, it is the primary still, with the commit, and the replicas
	 * catch up.
	 */
	@Test
	void primaryIsNotReplacedByReplicasMissingACommitItAcknowledgedAsynchronously() {
		Database primary = this.infrastructure.primary();
		// events older than this test (the log outlives test runs) must not satisfy its
		// waits
		long mark = DatabaseCluster.failoverLogMark();
		this.infrastructure.script("stop", "db2");
		this.infrastructure.script("stop", "db3");
		long id = System.nanoTime();
		// waits for the semi-synchronous timeout, then commits without any replica
		primary.execute("INSERT INTO harness.acknowledged VALUES (" + id + ")");
		Awaitility.await("the monitor saw semi-sync fall back")
			.atMost(Duration.ofSeconds(10))
			.until(() -> DatabaseCluster.failoverLogSince(mark).contains("semi-sync on db1 is OFF"));

		this.infrastructure.script("kill", "primary");
		this.infrastructure.script("start", "db2");
		this.infrastructure.script("start", "db3");
		Awaitility.await("the monitor refuses to promote")
			.atMost(Duration.ofSeconds(20))
			.until(() -> DatabaseCluster.failoverLogSince(mark)
				.contains("failover refused: db1 down, semi-sync was OFF"));
		for (Database node : this.infrastructure.nodes().subList(1, 3)) {
			assertThat(node.queryValue("SELECT @@read_only")).as("node " + node.port() + " stays a replica")
				.isEqualTo("1");
		}

		this.infrastructure.script("start", "db1");
		assertThat(this.infrastructure.primary().port()).isEqualTo(primary.port());
		DatabaseCluster.awaitAllCaughtUp();
		for (Database node : this.infrastructure.nodes()) {
			assertThat(node.queryValue("SELECT COUNT(*) FROM harness.acknowledged WHERE id = " + id))
				.as("the commit on " + node.port())
				.isEqualTo("1");
		}
		DatabaseCluster.assertIdenticalOnEveryNode();
	}

	/**
	 * A full backup (from a replica), rows written after it, a point in time, more rows:
	 * the restore up to that point holds exactly what the primary held then, table by
	 * table (every schema: the platform's when its services ran, and the test's own), and
	 * not what came after.
	 */
	@Test
	void restoreUpToAPointInTimeMatchesThePrimaryAtThatPoint() {
		Database primary = this.infrastructure.primary();
		this.infrastructure.script("backup", "full");
		long user = 900_000_000L + System.nanoTime() % 100_000_000L;
		insertOrders(primary, user, 5);
		// the point: the next whole second (binary log times are whole seconds); nothing
		// is written until it has passed
		Instant point = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
		Awaitility.await("the point in time has passed")
			.pollInterval(Duration.ofMillis(20))
			.atMost(Duration.ofSeconds(2))
			.until(() -> Instant.now().isAfter(point));
		Map<String, String> atThePoint = DatabaseCluster.checksums(primary);
		insertOrders(primary, user, 5);
		DatabaseCluster.awaitAllCaughtUp();
		this.infrastructure.script("backup", "binlogs");

		String output = this.infrastructure.script("restore", "--until",
				DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(point), "--port",
				String.valueOf(ServiceProcess.freePort()), "--checksum");

		Map<String, String> restored = new TreeMap<>();
		Matcher line = Pattern.compile("(?m)^(\\w+\\.\\w+)\t(\\d+)$").matcher(output);
		while (line.find()) {
			restored.put(line.group(1), line.group(2));
		}
		assertThat(restored).as(output).isEqualTo(atThePoint);
		assertThat(restored).as(output).containsKey("harness.restore_probe");
		assertThat(DatabaseCluster.checksums(primary).get("harness.restore_probe"))
			.as("the rows written after the point change the primary's table")
			.isNotEqualTo(atThePoint.get("harness.restore_probe"));
	}

	private static void insertOrders(Database primary, long user, int count) {
		String[] statements = new String[count];
		for (int i = 0; i < count; i++) {
			statements[i] = "INSERT INTO harness.restore_probe (user_id, total_cents, created_at) VALUES (" + user
					+ ", " + (100 + i) + ", NOW(3))";
		}
		primary.execute(statements);
	}

	private static List<Long> missingOn(Database node, List<Long> ids) {
		String in = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
		List<Long> present = node.queryColumn("SELECT id FROM harness.acknowledged WHERE id IN (" + in + ")")
			.stream()
			.map(Long::valueOf)
			.toList();
		return ids.stream().filter((id) -> !present.contains(id)).toList();
	}

	/**
	 * Commits one row at a time on one node until a commit fails, remembering the rows
	 * whose commit was acknowledged.
	 */
	static final class Writer implements AutoCloseable {

		private final ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean stop = new AtomicBoolean();

		private final CompletableFuture<Void> running;

		Writer(Database node, long firstId) {
			this.running = CompletableFuture.runAsync(() -> {
				try (Connection connection = node.adminConnection();
						Statement statement = connection.createStatement()) {
					for (long id = firstId; !this.stop.get(); id++) {
						statement.executeUpdate("INSERT INTO harness.acknowledged VALUES (" + id + ")");
						this.acknowledged.add(id);
					}
				}
				catch (SQLException ex) {
					// the node died: the commit in flight was not acknowledged
				}
			});
		}

		List<Long> acknowledged() {
			return List.copyOf(this.acknowledged);
		}

		void awaitAcknowledged(int count) {
			Awaitility.await(count + " commits acknowledged")
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> this.acknowledged.size() >= count || this.running.isDone());
			assertThat(this.acknowledged.size()).as("commits before the writer stopped").isGreaterThanOrEqualTo(count);
		}

		void awaitStopped() {
			Awaitility.await("the writer's node failed").atMost(Duration.ofSeconds(30)).until(this.running::isDone);
		}

		@Override
		public void close() {
			this.stop.set(true);
			this.running.join();
		}

	}

}
