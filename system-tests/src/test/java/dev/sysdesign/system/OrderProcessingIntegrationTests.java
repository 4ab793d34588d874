package dev.sysdesign.system;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.sysdesign.testing.Database;
import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.TcpProxy;
import dev.sysdesign.testing.WebSocketProbe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asynchronous order processing across real processes and the real broker: gateway,
 * session-service, order-service and two worker-service JVMs, with RabbitMQ reached
 * through a proxy whose connections the tests cut. Orders reach a final state; a worker
 * killed with {@code kill -9} in the middle of 200 orders and a broker gone for more than
 * ten seconds lose nothing and authorise nothing twice; a cancellation racing the worker
 * wins and voids the payment; one trace spans the whole journey, in the logs and in a
 * Zipkin server every service sends its spans to.
 */
class OrderProcessingIntegrationTests {

	static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

	static TcpProxy broker;

	static ZipkinServer zipkin;

	static ServiceProcess sessions;

	static ServiceProcess orders;

	static ServiceProcess workerA;

	static ServiceProcess workerB;

	static ServiceProcess gateway;

	static int workerPortA;

	static int workerPortB;

	static final Database primary = PlatformInfrastructure.get().primary();

	/**
	 * The user of the cancellation race: the workers authorise this user's payments
	 * slowly.
	 */
	static final String RACE_USER = "race-" + System.nanoTime() % 1_000_000_000;

	/**
	 * How long the race user's authorisations take: the cancellation has this long to
	 * arrive, and it stays below the worker's transaction timeout.
	 */
	static final Duration SLOW_PAYMENT = Duration.ofSeconds(5);

	static List<String> slowPayments = List.of();

	@BeforeAll
	static void startTopology() {
		PlatformInfrastructure.Endpoint rabbit = PlatformInfrastructure.get().rabbit();
		broker = TcpProxy.start(rabbit.host(), rabbit.port());
		zipkin = ZipkinServer.start();
		int sessionPort = ServiceProcess.freePort();
		int orderPort = ServiceProcess.freePort();
		workerPortA = ServiceProcess.freePort();
		workerPortB = ServiceProcess.freePort();
		sessions = ServiceProcess.start("session-service", "processing-session", sessionPort, traced(),
				ServiceProcess.infrastructureArguments("accounts"));
		orders = ServiceProcess.start("order-service", "processing-order", orderPort, traced(),
				throughBroker("orders", "--logging.level.dev.sysdesign.support.web.RequestIdFilter=DEBUG"));
		// the user of the cancellation race, whose payments the workers make slow
		sessions.awaitReady(Duration.ofMinutes(4));
		HttpResponse<String> registered = Http.post(sessions.baseUrl() + "/api/accounts",
				"{\"username\":\"" + RACE_USER + "\",\"password\":\"system-test-password\"}");
		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
		Matcher raceUserId = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(registered.body());
		assertThat(raceUserId.find()).isTrue();
		slowPayments = List.of("--worker.payment.slow-users=" + raceUserId.group(1),
				"--worker.payment.slow-latency=" + SLOW_PAYMENT.toMillis() + "ms");
		workerA = startWorker("processing-worker-a", workerPortA);
		workerB = startWorker("processing-worker-b", workerPortB);
		gateway = ServiceProcess.start("gateway-service", "processing-gateway", ServiceProcess.freePort(),
				traced("SESSION_SERVICE_URLS", sessions.baseUrl(), "ORDER_SERVICE_URLS", orders.baseUrl(),
						"WORKER_SERVICE_URLS", workerA.baseUrl() + "," + workerB.baseUrl(),
						"DISCOVERY_REFRESH_INTERVAL", "500ms", "RATE_LIMIT_ORDERS_RATE", "5000",
						"RATE_LIMIT_ORDERS_BURST", "10000"),
				gatewayArguments());
		zipkin.awaitReady(Duration.ofMinutes(4));
		Stream.of(sessions, orders, workerA, workerB, gateway)
			.forEach((process) -> process.awaitReady(Duration.ofMinutes(4)));
		gateway.awaitRoutesTo("session-service", "order-service", "worker-service");
	}

	/**
	 * The gateway logs JSON (ECS), with a line per routed request.
	 */
	private static List<String> gatewayArguments() {
		List<String> arguments = new ArrayList<>(ServiceProcess.infrastructureArguments(""));
		arguments.add("--logging.structured.format.console=ecs");
		arguments.add("--logging.level.org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping=DEBUG");
		return arguments;
	}

	/**
	 * Environment variables, plus those that send every span to the Zipkin server.
	 */
	private static Map<String, String> traced(String... pairs) {
		Map<String, String> environment = ServiceProcess.env(pairs);
		environment.putAll(zipkin.serviceEnvironment());
		return environment;
	}

	@AfterAll
	static void stopTopology() {
		Stream.of(gateway, sessions, orders, workerA, workerB).filter((p) -> p != null).forEach(ServiceProcess::close);
		if (broker != null) {
			broker.close();
		}
		if (zipkin != null) {
			zipkin.close();
		}
	}

	private static ServiceProcess startWorker(String name, int port) {
		List<String> arguments = new ArrayList<>(throughBroker("worker"));
		arguments.addAll(slowPayments);
		return ServiceProcess.start("worker-service", name, port,
				traced("PAYMENT_LATENCY", "200ms", "WORKER_CONSUMERS", "4"), arguments);
	}

	/**
	 * The service's infrastructure arguments, with RabbitMQ reached through the proxy.
	 */
	private static List<String> throughBroker(String schema, String... extra) {
		List<String> arguments = new ArrayList<>(ServiceProcess.infrastructureArguments(schema)
			.stream()
			.filter((argument) -> !argument.startsWith("--spring.rabbitmq.host=")
					&& !argument.startsWith("--spring.rabbitmq.port="))
			.toList());
		arguments.add("--spring.rabbitmq.host=" + broker.host());
		arguments.add("--spring.rabbitmq.port=" + broker.port());
		arguments.addAll(List.of(extra));
		return arguments;
	}

	@Test
	void ordersAreConfirmedOrRejectedWithinSecondsAndTheOwnerReadsTheNewStatusAtOnce() {
		String token = Http.registerAndLogIn(gateway.baseUrl(), "proc-" + System.nanoTime() % 1_000_000_000);
		String confirmed = place(token, "KB-001", 2);
		String declined = place(token, "DS-014", 21);

		awaitFinal(List.of(confirmed, declined), Duration.ofSeconds(20));
		assertThat(statusOnPrimary(confirmed)).isEqualTo("CONFIRMED");
		assertThat(statusOnPrimary(declined)).isEqualTo("REJECTED");
		HttpResponse<String> read = Http.get(gateway.baseUrl() + "/api/orders/" + confirmed, "X-Auth-Token", token);
		assertThat(Http.field(read.body(), "status")).isEqualTo("CONFIRMED");
		HttpResponse<String> rejected = Http.get(gateway.baseUrl() + "/api/orders/" + declined, "X-Auth-Token", token);
		assertThat(Http.field(rejected.body(), "status")).isEqualTo("REJECTED");
		assertThat(Http.field(rejected.body(), "failureReason")).contains("payment declined");
		assertThat(authorizationsPerOrder(List.of(confirmed))).containsEntry(confirmed, 1L);
		assertThat(authorizationsPerOrder(List.of(declined))).isEmpty();
	}

	/**
	 * A worker killed while it holds deliveries. The victim is a third worker whose
	 * payments take 3 s, killed once it is in the middle of authorisations (its gauge of
	 * payments in progress, read just before the kill, is above zero): the delivery of a
	 * payment in progress is not acknowledged yet (that happens after the commit), so it
	 * comes back, with whatever else the victim had prefetched. (Killing one of the fast
	 * workers after the orders were placed, as this test once did, raced with the
	 * consumers: on a slow machine the workers keep pace with placement and the victim
	 * could die holding nothing. A victim's own log is no witness either: what a JVM
	 * killed with {@code kill -9} had not flushed of its output is lost.)
	 */
	@Test
	void workerKilledInTheMiddleOfTwoHundredOrdersLosesNothingAndAuthorisesEachOnce() throws Exception {
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			tokens.add(Http.registerAndLogIn(gateway.baseUrl(), "kill-" + i + "-" + System.nanoTime() % 1_000_000_000));
		}
		int victimPort = ServiceProcess.freePort();
		ServiceProcess victim = ServiceProcess
			.start("worker-service", "processing-worker-victim", victimPort,
					ServiceProcess.env("PAYMENT_LATENCY", "3s", "WORKER_CONSUMERS", "4"),
					throughBroker("worker", "--management.tracing.sampling.probability=1.0"))
			.awaitReady(Duration.ofMinutes(2));
		try (ExecutorService executor = Executors.newFixedThreadPool(8)) {
			double redeliveredBefore = redelivered(workerA) + redelivered(workerB);
			List<Future<String>> placing = placeInBackground(executor, tokens, 200);
			Awaitility.await("the victim is in the middle of authorising payments")
				.atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> metric(victim, "payments.authorizations", "outcome:authorized") >= 4
						&& metric(victim, "payments.in-flight") >= 1);
			victim.kill();
			List<String> placed = new ArrayList<>();
			for (Future<String> future : placing) {
				placed.add(future.get());
			}

			awaitFinal(placed, Duration.ofMinutes(2));
			Map<String, Long> authorizations = authorizationsPerOrder(placed);
			assertThat(authorizations).hasSize(200);
			assertThat(authorizations.values()).as("one authorisation per order").containsOnly(1L);
			assertThat(placed).allSatisfy((id) -> assertThat(statusOnPrimary(id)).isEqualTo("CONFIRMED"));
			assertThat(redelivered(workerA) + redelivered(workerB))
				.as("the deliveries the victim held came back to the survivors, flagged as redelivered")
				.isGreaterThan(redeliveredBefore);
		}
		finally {
			victim.close();
		}
	}

	private static double redelivered(ServiceProcess worker) {
		return metric(worker, "messages.consumed", "queue:worker.order-placed", "outcome:redelivered");
	}

	@Test
	void brokerUnreachableForMoreThanTenSecondsLosesNothing() {
		String token = Http.registerAndLogIn(gateway.baseUrl(), "outage-" + System.nanoTime() % 1_000_000_000);
		List<String> placed = new ArrayList<>();
		broker.disable();
		try {
			Instant end = Instant.now().plusSeconds(12);
			while (Instant.now().isBefore(end)) {
				placed.add(place(token, "MS-002", 1));
			}
			assertThat(placed).allSatisfy((id) -> assertThat(statusOnPrimary(id)).isEqualTo("PENDING"));
		}
		finally {
			broker.enable();
		}
		assertThat(placed).as("orders accepted while the broker was away").hasSizeGreaterThanOrEqualTo(3);

		awaitFinal(placed, Duration.ofMinutes(2));
		assertThat(placed).allSatisfy((id) -> assertThat(statusOnPrimary(id)).isEqualTo("CONFIRMED"));
		assertThat(authorizationsPerOrder(placed).values()).hasSize(placed.size()).containsOnly(1L);
	}

	/**
	 * A cancellation that arrives while the worker authorises the payment wins: the
	 * payment is voided and the late result is ignored. The workers authorise this user's
	 * payments in {@link #SLOW_PAYMENT}, so the cancellation arrives mid-authorisation by
	 * construction, however slow the machine.
	 */
	@Test
	void cancellationRacingTheWorkerWinsAndVoidsThePayment() {
		String token = Http.logIn(gateway.baseUrl(), RACE_USER);
		String id = place(token, "HD-004", 1);
		Awaitility.await("a worker is authorising the payment")
			.atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> (workerA.output() + workerB.output()).contains("Authorising payment for order " + id));

		HttpResponse<String> cancel = Http.post(gateway.baseUrl() + "/api/orders/" + id + "/cancel", null,
				"X-Auth-Token", token);

		assertThat(cancel.statusCode()).isEqualTo(200);
		Awaitility.await("the worker voids the payment")
			.atMost(Duration.ofMinutes(2))
			.until(() -> "CANCELLED"
				.equals(primary.queryValue("SELECT status FROM worker.order_state WHERE order_id = '" + id + "'")));
		assertThat(primary.queryColumn("SELECT status FROM worker.payment_authorization WHERE order_id = '" + id + "'"))
			.containsExactly("VOIDED");
		Awaitility.await("the late result is consumed and ignored")
			.atMost(Duration.ofSeconds(30))
			.until(() -> orders.output().contains("Order " + id + " is already CANCELLED; result CONFIRMED ignored"));
		assertThat(statusOnPrimary(id)).isEqualTo("CANCELLED");
		assertThat(
				Http.field(Http.get(gateway.baseUrl() + "/api/orders/" + id, "X-Auth-Token", token).body(), "status"))
			.isEqualTo("CANCELLED");
	}

	@Test
	void oneTraceSpansGatewayOrderServiceWorkerAndBack() {
		String token = Http.registerAndLogIn(gateway.baseUrl(), "trace-" + System.nanoTime() % 1_000_000_000);
		String traceId = randomHex(32);
		HttpResponse<String> response = Http.post(gateway.baseUrl() + "/api/orders",
				"{\"items\":[{\"sku\":\"CB-005\",\"quantity\":1}]}", "X-Auth-Token", token, "traceparent",
				"00-" + traceId + "-" + randomHex(16) + "-01");
		assertThat(response.statusCode()).isEqualTo(202);
		String id = id(response.body());

		awaitFinal(List.of(id), Duration.ofSeconds(20));
		Awaitility.await("every hop logged the trace").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(orders.output()).containsPattern("\\[order-service," + traceId + ",.*POST /api/orders -> 202")
				.containsPattern("\\[order-service," + traceId + ",.*Order " + id + " is CONFIRMED");
			assertThat(workerA.output() + workerB.output())
				.containsPattern("\\[worker-service," + traceId + ",.*Order " + id + " authorised");
		});
	}

	/**
	 * The trace an operator opens: one order placed through the gateway (which starts the
	 * trace), read back in Zipkin as one trace with the spans of every hop — the gateway,
	 * order-service's request, SQL and outbox publication, the worker's consumption,
	 * payment and publication, and order-service's consumption of the result and its
	 * WebSocket push. The trace is kept in {@code target/system-tests/zipkin-trace.json}
	 * (Zipkin's v2 JSON: POST it to any Zipkin's {@code /api/v2/spans} to look at it).
	 */
	@Test
	void oneOrderIsOneTraceInZipkinFromTheGatewayThroughRabbitmqAndBack() {
		String token = Http.registerAndLogIn(gateway.baseUrl(), "zipkin-" + System.nanoTime() % 1_000_000_000);
		String id;
		try (WebSocketProbe live = WebSocketProbe.connect(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/orders"),
				"X-Auth-Token", token)) {
			id = place(token, "CB-005", 1);
			live.awaitFrame("orderId", id, Duration.ofSeconds(20));
		}
		String order = id;
		Awaitility.await("the order's trace in Zipkin").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			List<List<JsonNode>> traces = zipkin.traces("worker-service", "order.id=" + order);
			assertThat(traces).as("traces of order " + order).hasSize(1);
			List<JsonNode> trace = traces.get(0);
			assertThat(spanNames(trace, "gateway-service")).contains("http post");
			assertThat(spanNames(trace, "order-service")).contains("http post /api/orders", "query", "outbox publish",
					"order-service.order-processed receive", "websocket push", "websocket send");
			assertThat(spanNames(trace, "worker-service")).contains("worker.order-placed receive", "payment authorize",
					"outbox publish");
			java.nio.file.Files.writeString(ServiceProcess.outputDirectory().resolve("zipkin-trace.json"),
					trace.toString());
			assertJsonLogLine(gateway, trace.get(0).path("traceId").asString());
			JsonNode published = span(trace, "order-service", "outbox publish", "order.placed");
			assertThat(span(trace, "worker-service", "worker.order-placed receive", null).path("parentId").asString())
				.as("the worker consumes under the relay's publication of the order's row")
				.isEqualTo(published.path("id").asString());
		});
	}

	/**
	 * The dashboards and alert rules read only what the services expose: every metric an
	 * expression names is in a scrape of the running services (after an order went
	 * through, so that meters created on first use exist), or is one Prometheus makes
	 * itself or a rule records, and every label a selector matches on is one of that
	 * metric's. The scrapes are kept in {@code target/system-tests/exposed-metrics.txt}.
	 */
	@Test
	void dashboardsAndAlertRulesNameOnlyMetricsTheServicesExpose() throws Exception {
		String token = Http.registerAndLogIn(gateway.baseUrl(), "metrics-" + System.nanoTime() % 1_000_000_000);
		String id = place(token, "KB-001", 1);
		awaitFinal(List.of(id), Duration.ofSeconds(20));
		assertThat(Http.get(gateway.baseUrl() + "/api/orders/" + id, "X-Auth-Token", token).statusCode())
			.isEqualTo(200);
		Set<String> exposed = new java.util.TreeSet<>(Observability.SYNTHETIC);
		exposed.addAll(Observability.recordedSeries());
		Map<String, Set<String>> exposedLabels = new java.util.HashMap<>();
		StringBuilder scrapes = new StringBuilder();
		for (ServiceProcess process : List.of(gateway, sessions, orders, workerA, workerB)) {
			HttpResponse<String> scrape = Http.get(process.managementUrl() + "/actuator/prometheus");
			assertThat(scrape.statusCode()).as(process.name() + " scrape").isEqualTo(200);
			Set<String> names = Observability.exposedNames(scrape.body());
			Observability.exposedLabels(scrape.body())
				.forEach((name, labels) -> exposedLabels.computeIfAbsent(name, (key) -> new java.util.TreeSet<>())
					.addAll(labels));
			scrapes.append("# ").append(process.name()).append('\n').append(scrape.body()).append('\n');
			exposed.addAll(names);
		}
		java.nio.file.Files.writeString(ServiceProcess.outputDirectory().resolve("exposed-metrics.txt"), scrapes);

		Map<String, String> expressions = Observability.expressions();
		assertThat(expressions).as("expressions of the dashboards and rules").isNotEmpty();
		Map<String, Set<String>> unknown = new java.util.TreeMap<>();
		expressions.forEach((where, expression) -> {
			Set<String> missing = new java.util.TreeSet<>(Observability.metricNames(expression));
			missing.removeAll(exposed);
			Observability.matchedLabels(expression).forEach((name, labels) -> {
				if (exposedLabels.containsKey(name)) {
					labels.stream()
						.filter((label) -> !exposedLabels.get(name).contains(label))
						.forEach((label) -> missing.add(name + "{" + label + "}"));
				}
			});
			if (!missing.isEmpty()) {
				unknown.put(where, missing);
			}
		});
		assertThat(unknown).as("expressions reading metrics or labels no service exposes").isEmpty();
	}

	/**
	 * The gateway's JSON log has a line of the trace with the service, its instance, the
	 * trace and span ids and the request id.
	 */
	private static void assertJsonLogLine(ServiceProcess process, String traceId) {
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
		JsonNode line = process.output()
			.lines()
			.filter((text) -> text.startsWith("{") && text.contains(traceId))
			.map(json::readTree)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no JSON log line of trace " + traceId));
		assertThat(line.path("service").path("name").asString()).isEqualTo("gateway-service");
		assertThat(line.path("service").path("node").path("name").asString()).isNotBlank();
		assertThat(line.path("spanId").asString()).hasSize(16);
		assertThat(line.path("requestId").asString()).isNotBlank();
	}

	private static JsonNode span(List<JsonNode> trace, String service, String name, String routingKey) {
		return trace.stream()
			.filter((span) -> service.equals(span.path("localEndpoint").path("serviceName").asString())
					&& name.equals(span.path("name").asString())
					&& (routingKey == null || routingKey
						.equals(span.path("tags").path("messaging.rabbitmq.destination.routing_key").asString())))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span " + name + " of " + service));
	}

	private static Set<String> spanNames(List<JsonNode> trace, String service) {
		return trace.stream()
			.filter((span) -> service.equals(span.path("localEndpoint").path("serviceName").asString()))
			.map((span) -> span.path("name").asString())
			.collect(Collectors.toCollection(java.util.TreeSet::new));
	}

	private static String place(String token, String sku, int quantity) {
		HttpResponse<String> response = Http.post(gateway.baseUrl() + "/api/orders",
				"{\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]}", "X-Auth-Token", token);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return id(response.body());
	}

	private static List<Future<String>> placeInBackground(ExecutorService executor, List<String> tokens, int count) {
		List<Future<String>> futures = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String token = tokens.get(i % tokens.size());
			futures.add(executor.submit(() -> place(token, "LP-008", 1)));
		}
		return futures;
	}

	private static void awaitFinal(Collection<String> ids, Duration timeout) {
		Awaitility.await(ids.size() + " orders in a final state")
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> Long.parseLong(primary.queryValue("SELECT COUNT(*) FROM orders.purchase_order WHERE id IN ("
					+ quoted(ids) + ") AND status <> 'PENDING'")) == ids.size());
	}

	private static Map<String, Long> authorizationsPerOrder(Collection<String> ids) {
		return primary
			.queryColumn("SELECT CONCAT(order_id, ':', COUNT(*)) FROM worker.payment_authorization WHERE order_id IN ("
					+ quoted(ids) + ") GROUP BY order_id")
			.stream()
			.collect(Collectors.toMap((row) -> row.substring(0, 36), (row) -> Long.parseLong(row.substring(37))));
	}

	private static String statusOnPrimary(String id) {
		return primary.queryValue("SELECT status FROM orders.purchase_order WHERE id = '" + id + "'");
	}

	private static String quoted(Collection<String> ids) {
		return ids.stream().map((id) -> "'" + id + "'").collect(Collectors.joining(","));
	}

	private static double metric(ServiceProcess process, String name, String... tags) {
		StringBuilder url = new StringBuilder(process.managementUrl() + "/actuator/metrics/" + name);
		for (int i = 0; i < tags.length; i++) {
			url.append((i == 0) ? "?" : "&").append("tag=").append(tags[i]);
		}
		HttpResponse<String> response = Http.get(url.toString());
		if (response.statusCode() == 404) {
			return 0;
		}
		Matcher value = Pattern.compile("\"value\"\\s*:\\s*([0-9.E+-]+)").matcher(response.body());
		return value.find() ? Double.parseDouble(value.group(1)) : 0;
	}

	private static String id(String body) {
		Matcher matcher = ID.matcher(body);
		assertThat(matcher.find()).as(body).isTrue();
		return matcher.group(1);
	}

	private static String randomHex(int length) {
		StringBuilder hex = new StringBuilder();
		java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
		while (hex.length() < length) {
			hex.append(Integer.toHexString(random.nextInt(16)));
		}
		return hex.toString();
	}

}
