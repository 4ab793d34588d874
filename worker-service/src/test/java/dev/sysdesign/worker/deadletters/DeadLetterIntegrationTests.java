package dev.sysdesign.worker.deadletters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.sysdesign.worker.WorkerIntegrationTest;
import dev.sysdesign.worker.WorkerMessages;
import dev.sysdesign.worker.payment.PaymentSimulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages that cannot be processed: retried through the tiers, then dead-lettered with
 * their queue, error and attempts while the others keep flowing; malformed ones at once;
 * operators list and replay them through the admin API.
 */
@WorkerIntegrationTest
class DeadLetterIntegrationTests {

	@Autowired
	WorkerMessages messages;

	static final HttpClient http = HttpClient.newHttpClient();

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PaymentSimulator payments;

	@AfterEach
	void providerAvailable() {
		this.payments.setUnavailableForUsers(Set.of());
	}

	@Test
	void messageThatAlwaysFailsIsDeadLetteredAfterItsAttemptsWhileOthersFlowThenReplayed() {
		long unlucky = WorkerMessages.newUser();
		this.payments.setUnavailableForUsers(Set.of(unlucky));
		String poisonOrder = UUID.randomUUID().toString();
		String poison = this.messages.placed(poisonOrder, unlucky, 1, 8900, Instant.now());
		this.messages.publish("order.placed", poison);
		List<String> others = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String orderId = UUID.randomUUID().toString();
			others.add(orderId);
			this.messages.publish("order.placed",
					this.messages.placed(orderId, WorkerMessages.newUser(), 1, 2900, Instant.now()));
		}

		others.forEach((orderId) -> assertThat(this.messages.awaitResult(orderId).get("outcome").asString())
			.isEqualTo("CONFIRMED"));
		JsonNode letter = awaitDeadLetter(WorkerMessages.messageId(poison));
		assertThat(letter.get("queue").asString()).isEqualTo("worker.order-placed");
		assertThat(letter.get("exchange").asString()).isEqualTo("order-events");
		assertThat(letter.get("routingKey").asString()).isEqualTo("order.placed");
		assertThat(letter.get("messageType").asString()).isEqualTo("order.placed");
		assertThat(letter.get("error").asString()).contains("payment provider unavailable");
		assertThat(letter.get("attempts").asInt()).as("first attempt and two retry tiers").isEqualTo(3);
		assertThat(letter.get("deadLetteredAt").asString()).isNotBlank();
		assertThat(letter.has("replayedAt")).isFalse();
		assertThat(this.messages.results(poisonOrder)).isEmpty();
		assertThat(authorizations(poisonOrder)).isZero();

		// the provider is back: an operator replays the message, which now succeeds
		this.payments.setUnavailableForUsers(Set.of());
		long id = letter.get("id").asLong();
		HttpResponse<String> replay = post("/api/admin/dead-letters/" + id + "/replay", admin());
		assertThat(replay.statusCode()).isEqualTo(202);
		assertThat(json.readTree(replay.body()).get("replayedAt").asString()).isNotBlank();
		assertThat(this.messages.awaitResult(poisonOrder).get("outcome").asString()).isEqualTo("CONFIRMED");
		assertThat(authorizations(poisonOrder)).isEqualTo(1);

		HttpResponse<String> again = post("/api/admin/dead-letters/" + id + "/replay", admin());
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(post("/api/admin/dead-letters/999999999/replay", admin()).statusCode()).isEqualTo(404);
		assertThat(post("/api/admin/dead-letters/not-a-number/replay", admin()).statusCode()).isEqualTo(400);
	}

	@Test
	void malformedMessagesAreDeadLetteredAtOnceWithTheReasonAndTheConsumerKeepsRunning() {
		String invalidJson = UUID.randomUUID().toString();
		this.messages.sendRaw("worker.order-placed", "{not json".getBytes(StandardCharsets.UTF_8), invalidJson);
		String unknownType = UUID.randomUUID().toString();
		this.messages.sendRaw("worker.order-placed",
				messages
					.envelope(unknownType, "order.exploded", Instant.now(), json.createObjectNode().put("orderId", "x"))
					.getBytes(StandardCharsets.UTF_8),
				unknownType);
		String missingId = UUID.randomUUID().toString();
		this.messages.sendRaw("worker.order-placed",
				this.messages
					.envelope(missingId, "order.placed", Instant.now(), json.createObjectNode().put("userId", 7))
					.getBytes(StandardCharsets.UTF_8),
				missingId);
		String noEnvelopeId = UUID.randomUUID().toString();
		this.messages.sendRaw("worker.order-cancelled",
				("{\"type\":\"order.cancelled\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"data\":{\"orderId\":\""
						+ UUID.randomUUID() + "\",\"userId\":1}}")
					.getBytes(StandardCharsets.UTF_8),
				noEnvelopeId);
		String orderId = UUID.randomUUID().toString();
		this.messages.publish("order.placed",
				this.messages.placed(orderId, WorkerMessages.newUser(), 1, 900, Instant.now()));

		assertThat(this.messages.awaitResult(orderId).get("outcome").asString()).isEqualTo("CONFIRMED");
		assertThat(awaitDeadLetter(invalidJson).get("error").asString()).startsWith("malformed: invalid JSON");
		JsonNode unknown = awaitDeadLetter(unknownType);
		assertThat(unknown.get("error").asString()).contains("unexpected message type order.exploded");
		assertThat(unknown.get("attempts").asInt()).isEqualTo(1);
		assertThat(awaitDeadLetter(missingId).get("error").asString()).contains("orderId is missing");
		JsonNode noId = awaitDeadLetter(noEnvelopeId);
		assertThat(noId.get("error").asString()).contains("messageId is missing");
		assertThat(noId.get("queue").asString()).isEqualTo("worker.order-cancelled");
		assertThat(noId.get("payload").asString()).contains("order.cancelled");
	}

	@Test
	void deadLettersAreForAdministratorsOnly() {
		assertThat(get("/api/admin/dead-letters", Map.of()).statusCode()).isEqualTo(401);
		assertThat(get("/api/admin/dead-letters", Map.of("X-User-Id", "5", "X-User-Roles", "USER")).statusCode())
			.isEqualTo(403);
		assertThat(
				post("/api/admin/dead-letters/1/replay", Map.of("X-User-Id", "5", "X-User-Roles", "USER")).statusCode())
			.isEqualTo(403);
		HttpResponse<String> badLimit = get("/api/admin/dead-letters?limit=0", admin());
		assertThat(badLimit.statusCode()).isEqualTo(400);
		assertThat(get("/api/admin/dead-letters?limit=5", admin()).statusCode()).isEqualTo(200);
	}

	private JsonNode awaitDeadLetter(String messageId) {
		JsonNode[] found = new JsonNode[1];
		Awaitility.await("dead letter of " + messageId)
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				HttpResponse<String> response = get("/api/admin/dead-letters?limit=500", admin());
				assertThat(response.statusCode()).isEqualTo(200);
				for (JsonNode letter : json.readTree(response.body())) {
					if (letter.has("messageId") && messageId.equals(letter.get("messageId").asString())) {
						found[0] = letter;
						return true;
					}
				}
				return false;
			});
		return found[0];
	}

	private long authorizations(String orderId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM payment_authorization WHERE order_id = ?")
			.param(orderId)
			.query(Long.class)
			.single();
	}

	private static Map<String, String> admin() {
		return Map.of("X-User-Id", "1", "X-User-Roles", "USER,ADMIN");
	}

	private HttpResponse<String> get(String path, Map<String, String> headers) {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET(), headers);
	}

	private HttpResponse<String> post(String path, Map<String, String> headers) {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.POST(HttpRequest.BodyPublishers.noBody()), headers);
	}

	private static HttpResponse<String> send(HttpRequest.Builder builder, Map<String, String> headers) {
		headers.forEach(builder::header);
		try {
			return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
