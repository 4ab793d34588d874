package dev.sysdesign.orders.live;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.messaging.ConfirmedPublisher;
import dev.sysdesign.orders.OrderServiceIntegrationTest;
import dev.sysdesign.orders.OrderServiceInstances;
import dev.sysdesign.orders.TestData;
import dev.sysdesign.orders.messaging.WorkerResults;
import dev.sysdesign.orders.order.OrderId;
import dev.sysdesign.orders.order.OrderStatus;
import dev.sysdesign.orders.order.OrderStatusChanged;
import dev.sysdesign.redis.session.SessionReference;
import dev.sysdesign.testing.WebSocketProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code WS /ws/orders} on two real instances against the real broker and Redis: instance
 * A does not consume the worker's results ({@code consume-results=false}), so what its
 * clients receive about them can only have come from another instance through the
 * {@code order.status-changed} fan-out. B is the shared test context.
 */
@OrderServiceIntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveOrderStatusIntegrationTests {

	static final Duration PUSH = Duration.ofSeconds(15);

	static ConfigurableApplicationContext instanceA;

	@LocalServerPort
	int portB;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ConfirmedPublisher publisher;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedisMessageListenerContainer endedSessionsSubscription;

	RestTestClient clientB;

	@BeforeAll
	static void startInstanceA() {
		instanceA = OrderServiceInstances.start("orders.messaging.consume-results=false",
				"orders.live.max-connections-per-user=3", "orders.live.send-time-limit=1s",
				"orders.live.send-buffer-size-limit=16KB");
	}

	@AfterAll
	static void stopInstanceA() {
		if (instanceA.isActive()) {
			instanceA.close();
		}
	}

	@BeforeEach
	void setUp() {
		this.clientB = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.portB).build();
	}

	@Test
	void theOwnerHearsOfAResultAnotherInstanceAppliedOnEveryConnectionItHolds() {
		assertThat(instanceA.getBean(RabbitListenerEndpointRegistry.class)
			.getListenerContainer("order-processed")
			.isRunning()).as("instance A leaves the results to the others").isFalse();
		long user = TestData.newUser();
		String id = TestData.placeOrder(this.clientB, user, TestData.newProduct(this.jdbc, 10, 990), 1);
		String session = newSession();
		double pushedBefore = pushedOnA();
		try (WebSocketProbe first = connect(portA(), user, session);
				WebSocketProbe second = connect(portA(), user, session);
				WebSocketProbe onB = connect(this.portB, user, session)) {
			// a pong proves each connection is registered where it was accepted
			for (WebSocketProbe socket : List.of(first, second, onB)) {
				socket.send("{\"type\":\"ping\"}");
				socket.awaitFrame("type", "pong", PUSH);
			}

			new WorkerResults(this.publisher).publish(WorkerResults.confirmed(id));

			for (WebSocketProbe socket : new WebSocketProbe[] { first, second, onB }) {
				JsonNode frame = socket.awaitFrame("orderId", id, PUSH);
				assertThat(frame.get("type").asString()).isEqualTo("order-status");
				assertThat(frame.get("status").asString()).isEqualTo("CONFIRMED");
				assertThat(Instant.parse(frame.get("updatedAt").asString())).isEqualTo(updatedAt(id));
				assertThat(frame.properties()).hasSize(4);
			}
			await().atMost(PUSH).untilAsserted(() -> assertThat(pushedOnA()).isGreaterThanOrEqualTo(pushedBefore + 2));
		}
	}

	@Test
	void anotherUsersChangeIsNotPushed() {
		long alice = TestData.newUser();
		long bob = TestData.newUser();
		String sku = TestData.newProduct(this.jdbc, 10, 500);
		String aliceOrder = TestData.placeOrder(this.clientB, alice, sku, 1);
		String bobOrder = TestData.placeOrder(this.clientB, bob, sku, 1);
		try (WebSocketProbe aliceSocket = connect(portA(), alice, newSession());
				WebSocketProbe bobSocket = connect(portA(), bob, newSession())) {
			cancel(bob, bobOrder);
			bobSocket.awaitFrame("orderId", bobOrder, PUSH);

			cancel(alice, aliceOrder);
			aliceSocket.awaitFrame("orderId", aliceOrder, PUSH);

			assertThat(aliceSocket.json()).extracting((frame) -> frame.get("orderId").asString())
				.containsExactly(aliceOrder);
			assertThat(bobSocket.json()).extracting((frame) -> frame.get("orderId").asString())
				.containsExactly(bobOrder);
		}
	}

	@Test
	void handshakeWithoutTheGatewaysIdentityHeadersIs401() {
		URI uri = uri(portA());
		assertThat(WebSocketProbe.refusal(uri)).isEqualTo(401);
		assertThat(WebSocketProbe.refusal(uri, "X-User-Id", "42")).as("no session reference").isEqualTo(401);
		assertThat(WebSocketProbe.refusal(uri, "X-User-Id", "42", "X-User-Session", newSession()))
			.as("no session lifetime")
			.isEqualTo(401);
		assertThat(WebSocketProbe.refusal(uri, "X-User-Id", "abc", "X-User-Session", newSession(), "X-User-Session-Ttl",
				"600"))
			.isEqualTo(401);
		this.clientB.get()
			.uri("/ws/orders")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("/problems/unauthenticated")
			.jsonPath("$.service")
			.isEqualTo("order-service");
	}

	@Test
	void anEndedSessionClosesItsConnectionsOnEveryInstanceWith1008AndNoOther() {
		await().atMost(PUSH)
			.until(() -> this.endedSessionsSubscription.isListening()
					&& instanceA.getBean("endedSessionsSubscription", RedisMessageListenerContainer.class)
						.isListening());
		long user = TestData.newUser();
		String ended = newSession();
		String other = newSession();
		try (WebSocketProbe onA = connect(portA(), user, ended);
				WebSocketProbe onB = connect(this.portB, user, ended);
				WebSocketProbe otherSession = connect(portA(), user, other)) {

			this.redis.convertAndSend(SessionReference.ENDED_CHANNEL, ended);

			assertThat(onA.awaitClose(PUSH).code()).isEqualTo(1008);
			assertThat(onB.awaitClose(PUSH).code()).isEqualTo(1008);
			otherSession.send("{\"type\":\"ping\"}");
			otherSession.awaitFrame("type", "pong", PUSH);
			assertThat(otherSession.isClosed()).isFalse();
		}
	}

	@Test
	void theConnectionEndsWhenTheSessionsLifetimeRunsOutSoThatTheClientHasItChecked() {
		// 5 s left on the session at the handshake: the socket serves until then, and
		// closes
		// one second after
		try (WebSocketProbe socket = connect(portA(), TestData.newUser(), newSession(), "5")) {
			socket.send("{\"type\":\"ping\"}");
			socket.awaitFrame("type", "pong", PUSH);

			WebSocketProbe.Closed closed = socket.awaitClose(Duration.ofSeconds(20));

			assertThat(closed.code()).isEqualTo(4000);
		}
	}

	@Test
	void pingIsAnsweredOtherFramesAreIgnoredAndOversizedOnesClose() {
		try (WebSocketProbe socket = connect(portA(), TestData.newUser(), newSession())) {
			socket.send("hello");
			socket.send("{\"type\":\"subscribe\"}");
			socket.send("{\"type\":\"ping\"}");

			socket.awaitFrame("type", "pong", PUSH);
			assertThat(socket.frames()).containsExactly("{\"type\":\"pong\"}");
			assertThat(socket.isClosed()).isFalse();
		}
		try (WebSocketProbe socket = connect(portA(), TestData.newUser(), newSession())) {
			socket.send("x".repeat(OrderStatusSocket.MAX_INCOMING_FRAME + 1));

			assertThat(socket.awaitClose(PUSH).code()).as("too big").isEqualTo(1009);
		}
	}

	@Test
	void aUserHoldsAtMostTheConfiguredConnectionsPerInstance() {
		long user = TestData.newUser();
		String session = newSession();
		try (WebSocketProbe one = connect(portA(), user, session);
				WebSocketProbe two = connect(portA(), user, session);
				WebSocketProbe three = connect(portA(), user, session)) {
			// the server answers the handshake before it registers the connection: a pong
			// proves each of the three counts against the limit
			for (WebSocketProbe socket : List.of(one, two, three)) {
				socket.send("{\"type\":\"ping\"}");
				socket.awaitFrame("type", "pong", PUSH);
			}
			assertThat(WebSocketProbe.refusal(uri(portA()), identity(user, session, "600"))).isEqualTo(429);
			try (WebSocketProbe otherUser = connect(portA(), TestData.newUser(), newSession())) {
				assertThat(otherUser.isClosed()).isFalse();
			}

			one.close();

			await().atMost(PUSH).untilAsserted(() -> {
				try (WebSocketProbe again = connect(portA(), user, session)) {
					assertThat(again.isClosed()).isFalse();
				}
			});
		}
	}

	@Test
	void aClientThatStopsReadingIsClosedWithoutHoldingUpOthers() {
		long slowUser = TestData.newUser();
		long otherUser = TestData.newUser();
		MeterRegistry meters = instanceA.getBean(MeterRegistry.class);
		double slowClosedBefore = closedOnA(meters, 4500);
		try (WebSocketProbe slow = WebSocketProbe.connectWithoutReading(uri(portA()),
				identity(slowUser, newSession(), "600"));
				WebSocketProbe other = connect(portA(), otherUser, newSession())) {
			OrderId stuck = OrderId.of(UUID.randomUUID().toString());
			List<String> otherOrders = new ArrayList<>();
			long slowestPublication = 0;
			// until the slow client's socket is full and it is closed: each status change
			// for it and one for the other user in between
			for (int batch = 0; batch < 200 && closedOnA(meters, 4500) == slowClosedBefore; batch++) {
				for (int i = 0; i < 1000; i++) {
					long started = System.nanoTime();
					instanceA
						.publishEvent(new OrderStatusChanged(stuck, slowUser, OrderStatus.CONFIRMED, Instant.now()));
					slowestPublication = Math.max(slowestPublication, System.nanoTime() - started);
				}
				String otherOrder = UUID.randomUUID().toString();
				otherOrders.add(otherOrder);
				instanceA.publishEvent(
						new OrderStatusChanged(OrderId.of(otherOrder), otherUser, OrderStatus.REJECTED, Instant.now()));
			}

			await().atMost(PUSH).until(() -> closedOnA(meters, 4500) > slowClosedBefore);
			await().atMost(PUSH)
				.untilAsserted(() -> assertThat(other.json()).extracting((frame) -> frame.get("orderId").asString())
					.containsAll(otherOrders));
			// a push that waited for the stuck client would take the send time limit (5
			// s)
			assertThat(Duration.ofNanos(slowestPublication)).as("pushing never waits for a client")
				.isLessThan(Duration.ofSeconds(2));
			assertThat(other.isClosed()).isFalse();
		}
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void shuttingDownClosesTheConnectionsWithGoingAway() {
		try (WebSocketProbe socket = connect(portA(), TestData.newUser(), newSession())) {
			instanceA.close();

			assertThat(socket.awaitClose(PUSH).code()).isEqualTo(1001);
		}
	}

	private static WebSocketProbe connect(int port, long user, String session) {
		return connect(port, user, session, "600");
	}

	private static WebSocketProbe connect(int port, long user, String session, String ttl) {
		return WebSocketProbe.connect(uri(port), identity(user, session, ttl));
	}

	private static String[] identity(long user, String session, String ttl) {
		return new String[] { "X-User-Id", Long.toString(user), "X-User-Roles", "USER", "X-User-Session", session,
				"X-User-Session-Ttl", ttl };
	}

	private static URI uri(int port) {
		return URI.create("ws://localhost:" + port + "/ws/orders");
	}

	private static String newSession() {
		return SessionReference.of(UUID.randomUUID().toString());
	}

	private static int portA() {
		return OrderServiceInstances.port(instanceA);
	}

	private static double pushedOnA() {
		return instanceA.getBean(MeterRegistry.class).get("orders.live.frames.pushed").counter().count();
	}

	private static double closedOnA(MeterRegistry meters, int code) {
		Counter counter = meters.find("orders.live.connections.closed").tag("code", Integer.toString(code)).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private void cancel(long user, String order) {
		this.clientB.post()
			.uri("/api/orders/" + order + "/cancel")
			.header("X-User-Id", Long.toString(user))
			.exchange()
			.expectStatus()
			.isOk();
	}

	private Instant updatedAt(String id) {
		return this.jdbc.sql("SELECT updated_at FROM purchase_order WHERE id = ?")
			.param(id)
			.query(LocalDateTime.class)
			.single()
			.toInstant(ZoneOffset.UTC);
	}

}
