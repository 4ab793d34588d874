package dev.sysdesign.system;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sysdesign.testing.Database;
import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The primary's {@code mariadbd} killed with {@code kill -9} while clients place orders
 * (two clients, one order every 50 ms each, each order with its own
 * {@code Idempotency-Key}, retried with the same key until accepted) and list their
 * orders (one client, every 100 ms), all through the gateway. The services are given
 * every node's address and find the primary and the replicas themselves.
 * <ul>
 * <li>every order that got 202 exists afterwards, exactly once; retries with the same key
 * never made a second one;</li>
 * <li>writes are accepted again within 15 s of the kill (refused meanwhile with 503,
 * never 500);</li>
 * <li>reads never fail: order-service stays ready and reads from the replicas;</li>
 * <li>{@code scripts/infra.sh up} afterwards brings the old primary back as a replica,
 * and every node holds the same data.</li>
 * </ul>
 * The timeline is written to {@code target/system-tests/failover-timeline.txt}.
 */
class DatabaseFailoverIntegrationTests {

	static final PlatformInfrastructure infrastructure = PlatformInfrastructure.get();

	static ServiceProcess sessions;

	static ServiceProcess orders;

	static ServiceProcess gateway;

	@BeforeAll
	static void start() {
		DatabaseCluster.restoreFirstNodeAsPrimary();
		sessions = ServiceProcess.start("session-service", "failover-session", ServiceProcess.freePort(),
				ServiceProcess.env(), ServiceProcess.infrastructureArguments("accounts"));
		orders = ServiceProcess.start("order-service", "failover-order", ServiceProcess.freePort(),
				ServiceProcess.env(), discoveredReplicas(ServiceProcess.infrastructureArguments("orders")));
		gateway = ServiceProcess.start("gateway-service", "failover-gateway", ServiceProcess.freePort(),
				ServiceProcess.env("SESSION_SERVICE_URLS", sessions.baseUrl(), "ORDER_SERVICE_URLS", orders.baseUrl(),
						"WORKER_SERVICE_URLS", "http://127.0.0.1:1", "DISCOVERY_REFRESH_INTERVAL", "500ms",
						"RATE_LIMIT_ORDERS_RATE", "5000", "RATE_LIMIT_ORDERS_BURST", "10000"),
				ServiceProcess.infrastructureArguments(""));
		Stream.of(sessions, orders, gateway).forEach((process) -> process.awaitReady(Duration.ofMinutes(4)));
		gateway.awaitRoutesTo("session-service", "order-service");
	}

	/** Without an explicit replica endpoint: every node but the primary is a replica. */
	private static List<String> discoveredReplicas(List<String> arguments) {
		return arguments.stream().filter((argument) -> !argument.startsWith("--platform.datasource.replica.")).toList();
	}

	@AfterAll
	static void stop() {
		Stream.of(gateway, orders, sessions).filter((p) -> p != null).forEach(ServiceProcess::close);
		DatabaseCluster.restoreFirstNodeAsPrimary();
	}

	@Test
	void primaryKilledUnderOrdersLosesNoAcceptedOrderAndReadsNeverFail() throws Exception {
		Database oldPrimary = infrastructure.primary();
		String suffix = String.valueOf(System.nanoTime() % 1_000_000_000);
		List<String> users = List.of("failover-a-" + suffix, "failover-b-" + suffix);
		List<String> tokens = users.stream().map((user) -> Http.registerAndLogIn(gateway.baseUrl(), user)).toList();
		List<Writer> writers = tokens.stream().map(Writer::new).toList();
		Reader reader = new Reader(tokens.get(0));
		ScheduledExecutorService clients = Executors.newScheduledThreadPool(3);
		Instant killed;
		try {
			writers.forEach((writer) -> clients.scheduleAtFixedRate(writer, 0, 50, TimeUnit.MILLISECONDS));
			clients.scheduleAtFixedRate(reader, 0, 100, TimeUnit.MILLISECONDS);
			Awaitility.await("orders flow before the fault")
				.atMost(Duration.ofSeconds(30))
				.until(() -> writers.stream().allMatch((writer) -> writer.accepted.size() >= 20));

			killed = Instant.now();
			infrastructure.script("kill", "primary");
			Awaitility.await("orders are accepted again after the failover")
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> writers.stream().allMatch((writer) -> writer.acceptedSinceRefusal(killed) >= 20));
		}
		finally {
			// no new ticks; requests in flight finish (an interrupted one would count as
			// failed)
			clients.shutdown();
			assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients finished").isTrue();
		}

		Instant firstRefused = earliest(writers.stream().map((writer) -> writer.firstRefusal.get()).toList());
		Instant writesBack = latest(writers.stream().map((writer) -> writer.firstAcceptAfterRefusal(killed)).toList());
		Database newPrimary = infrastructure.primary();
		String timeline = "kill -9 of the primary (" + oldPrimary.port() + ")   " + killed + "\n"
				+ "first write refused                " + firstRefused + "\n" + "writes accepted again (all clients) "
				+ writesBack + "   +" + Duration.between(killed, writesBack).toMillis() + " ms\n"
				+ "new primary                        " + newPrimary.port() + "\n"
				+ "refusals (503) per status          " + refusals(writers) + "\n" + "reads: " + reader.succeeded.get()
				+ " succeeded, " + reader.failures.size() + " failed\n" + "monitor: "
				+ DatabaseCluster.failoverLog().lines().reduce((a, b) -> b).orElse("") + "\n";
		Files.writeString(ServiceProcess.outputDirectory().resolve("failover-timeline.txt"), timeline);

		assertThat(newPrimary.port()).as("a replica was promoted").isNotEqualTo(oldPrimary.port());
		assertThat(Duration.between(killed, writesBack)).as(timeline).isLessThan(Duration.ofSeconds(15));
		assertThat(reader.failures).as("reads through the gateway during the failover").isEmpty();
		assertThat(reader.succeeded.get()).isGreaterThan(30);
		for (Writer writer : writers) {
			assertThat(writer.unexpected).as("answers other than 202 and 503").isEmpty();
		}

		for (int i = 0; i < users.size(); i++) {
			Writer writer = writers.get(i);
			Set<String> acceptedIds = new HashSet<>(writer.accepted.values());
			assertThat(acceptedIds).as("one order per idempotency key").hasSize(writer.accepted.size());
			List<String> stored = newPrimary.queryColumn("SELECT o.id FROM orders.purchase_order o JOIN "
					+ "accounts.account a ON a.id = o.user_id WHERE a.username = '" + users.get(i) + "'");
			assertThat(stored).as("orders of " + users.get(i) + " on the new primary")
				.doesNotHaveDuplicates()
				.containsExactlyInAnyOrderElementsOf(acceptedIds);
		}
		assertThat(orders.output()).contains("The primary moved from");

		DatabaseCluster.restoreAllNodes();
		assertThat(infrastructure.script("status")).contains("db1      replica  up");
		DatabaseCluster.assertIdenticalOnEveryNode();
	}

	private static Map<Integer, Integer> refusals(List<Writer> writers) {
		Map<Integer, Integer> merged = new java.util.TreeMap<>();
		writers.forEach((writer) -> writer.refusals
			.forEach((status, count) -> merged.merge(status, count.get(), Integer::sum)));
		return merged;
	}

	private static Instant earliest(List<Instant> instants) {
		return instants.stream().filter((i) -> i != null).min(Instant::compareTo).orElse(null);
	}

	private static Instant latest(List<Instant> instants) {
		return instants.stream().filter((i) -> i != null).max(Instant::compareTo).orElseThrow();
	}

	/**
	 * Places one order per tick; an order not accepted is retried, with the same key, at
	 * the next tick.
	 */
	static final class Writer implements Runnable {

		final String token;

		final Map<String, String> accepted = new ConcurrentHashMap<>();

		final ConcurrentLinkedQueue<Instant> acceptedAt = new ConcurrentLinkedQueue<>();

		final Map<Integer, AtomicInteger> refusals = new ConcurrentHashMap<>();

		final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

		final AtomicReference<Instant> firstRefusal = new AtomicReference<>();

		final AtomicReference<Instant> lastRefusal = new AtomicReference<>();

		private String pendingKey;

		private int sequence;

		Writer(String token) {
			this.token = token;
		}

		@Override
		public void run() {
			try {
				placeOrRetry();
			}
			catch (Throwable ex) {
				// a task that throws is never run again: the test would wait for nothing
				this.unexpected.add(ex.toString());
			}
		}

		private void placeOrRetry() {
			if (this.pendingKey == null) {
				this.pendingKey = "failover-" + System.nanoTime() + "-" + this.sequence++;
			}
			Instant sent = Instant.now();
			int status;
			String body;
			try {
				HttpResponse<String> response = Http.post(gateway.baseUrl() + "/api/orders",
						"{\"items\":[{\"sku\":\"MS-002\",\"quantity\":1}]}", "X-Auth-Token", this.token,
						"Idempotency-Key", this.pendingKey);
				status = response.statusCode();
				body = response.body();
			}
			catch (RuntimeException ex) {
				status = -1;
				body = ex.toString();
			}
			if (status == 202) {
				this.accepted.put(this.pendingKey, Http.field(body, "id"));
				this.acceptedAt.add(sent);
				this.pendingKey = null;
				return;
			}
			// 503 while there is no primary; 409 while the same key's first attempt is
			// still in flight
			if (status == 503 || status == 409) {
				this.refusals.computeIfAbsent(status, (key) -> new AtomicInteger()).incrementAndGet();
				this.firstRefusal.compareAndSet(null, sent);
				this.lastRefusal.set(sent);
				return;
			}
			this.unexpected.add(status + " " + body);
		}

		/**
		 * Orders sent after the last refusal (or after the kill when none was refused).
		 */
		long acceptedSinceRefusal(Instant killed) {
			Instant last = this.lastRefusal.get();
			Instant since = (last != null && last.isAfter(killed)) ? last : killed;
			return this.acceptedAt.stream().filter((at) -> at.isAfter(since)).count();
		}

		Instant firstAcceptAfterRefusal(Instant killed) {
			Instant last = this.lastRefusal.get();
			Instant since = (last != null && last.isAfter(killed)) ? last : killed;
			return this.acceptedAt.stream().filter((at) -> at.isAfter(since)).min(Instant::compareTo).orElse(null);
		}

	}

	/** Lists the user's orders once per tick. */
	static final class Reader implements Runnable {

		final String token;

		final AtomicInteger succeeded = new AtomicInteger();

		final List<String> failures = Collections.synchronizedList(new ArrayList<>());

		Reader(String token) {
			this.token = token;
		}

		@Override
		public void run() {
			try {
				HttpResponse<String> response = Http.get(gateway.baseUrl() + "/api/orders", "X-Auth-Token", this.token);
				if (response.statusCode() == 200) {
					this.succeeded.incrementAndGet();
				}
				else {
					this.failures.add(Instant.now() + " " + response.statusCode() + " " + response.body());
				}
			}
			catch (RuntimeException ex) {
				this.failures.add(Instant.now() + " " + ex);
			}
		}

	}

}
