package dev.sysdesign.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.sysdesign.messaging.ConfirmedPublisher;

/**
 * Plays the order-service for worker tests: publishes its events to the real broker and
 * collects the worker's {@code order.processed} results from a queue of the test's own.
 * One per test context ({@link WorkerIntegrationTest} imports it).
 */
public class WorkerMessages implements AutoCloseable {

	/** A user whose payments take 1.5 s (see {@link WorkerIntegrationTest}). */
	public static final long SLOW_USER = 990_002;

	private static final AtomicLong users = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L * 1000);

	private final ConfirmedPublisher publisher;

	private final RabbitTemplate rabbit;

	private final AmqpAdmin admin;

	private final JsonMapper json = JsonMapper.builder().build();

	private final String resultsQueue = "worker-test.processed." + UUID.randomUUID();

	private final Map<String, List<JsonNode>> results = new ConcurrentHashMap<>();

	public WorkerMessages(ConfirmedPublisher publisher, RabbitTemplate rabbit, AmqpAdmin admin) {
		this.publisher = publisher;
		this.rabbit = rabbit;
		this.admin = admin;
		Queue queue = new Queue(this.resultsQueue, false, false, true);
		admin.declareQueue(queue);
		admin.declareBinding(BindingBuilder.bind(queue).to(new TopicExchange("worker-events")).with("order.processed"));
	}

	/** A user id no other test uses. */
	public static long newUser() {
		return users.incrementAndGet();
	}

	/** The message id of an envelope. */
	public static String messageId(String envelope) {
		return JsonMapper.builder().build().readTree(envelope).get("messageId").asString();
	}

	/** An {@code order.placed} envelope for one line. */
	public String placed(String orderId, long userId, int quantity, long unitPriceCents, Instant occurredAt) {
		ObjectNode data = this.json.createObjectNode();
		data.put("orderId", orderId);
		data.put("userId", userId);
		ObjectNode item = data.putArray("items").addObject();
		item.put("sku", "KB-001");
		item.put("quantity", quantity);
		item.put("unitPriceCents", unitPriceCents);
		data.put("totalCents", quantity * unitPriceCents);
		return envelope(UUID.randomUUID().toString(), "order.placed", occurredAt, data);
	}

	/** An {@code order.cancelled} envelope. */
	public String cancelled(String orderId, long userId, String reason) {
		ObjectNode data = this.json.createObjectNode();
		data.put("orderId", orderId);
		data.put("userId", userId);
		if (reason != null) {
			data.put("reason", reason);
		}
		return envelope(UUID.randomUUID().toString(), "order.cancelled", Instant.now(), data);
	}

	public String envelope(String messageId, String type, Instant occurredAt, JsonNode data) {
		ObjectNode envelope = this.json.createObjectNode();
		envelope.put("messageId", messageId);
		envelope.put("type", type);
		envelope.put("occurredAt", occurredAt.toString());
		envelope.set("data", data);
		return envelope.toString();
	}

	/** Publishes to {@code order-events} as the order-service's relay does. */
	public void publish(String routingKey, String envelope) {
		JsonNode node = this.json.readTree(envelope);
		send("order-events", routingKey, envelope.getBytes(StandardCharsets.UTF_8), node.get("messageId").asString(),
				node.get("type").asString());
	}

	/** Puts raw bytes straight into a queue (malformed messages). */
	public void sendRaw(String queue, byte[] body, String messageId) {
		send("", queue, body, messageId, null);
	}

	private void send(String exchange, String routingKey, byte[] body, String messageId, String type) {
		MessageProperties properties = new MessageProperties();
		properties.setType(type);
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		if (messageId != null) {
			properties.setMessageId(messageId);
		}
		this.publisher.publish(exchange, routingKey, new Message(body, properties));
	}

	/** Waits for the worker's result for an order. */
	public JsonNode awaitResult(String orderId) {
		Awaitility.await("order.processed for " + orderId)
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				drain();
				return this.results.containsKey(orderId);
			});
		return this.results.get(orderId).get(0);
	}

	/** The results received so far for an order. */
	public List<JsonNode> results(String orderId) {
		drain();
		return this.results.getOrDefault(orderId, List.of());
	}

	private void drain() {
		Message message;
		while ((message = this.rabbit.receive(this.resultsQueue)) != null) {
			JsonNode envelope = this.json.readTree(message.getBody());
			JsonNode data = envelope.get("data");
			this.results
				.computeIfAbsent(data.get("orderId").asString(),
						(key) -> new java.util.concurrent.CopyOnWriteArrayList<>())
				.add(data);
		}
	}

	@Override
	public void close() {
		this.admin.deleteQueue(this.resultsQueue);
	}

}
