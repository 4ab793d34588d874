package dev.sysdesign.orders.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import dev.sysdesign.messaging.ConfirmedPublisher;

/**
 * Plays the worker-service for order-service tests: publishes {@code order.processed}
 * results to the real broker.
 */
public final class WorkerResults {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ConfirmedPublisher publisher;

	public WorkerResults(ConfirmedPublisher publisher) {
		this.publisher = publisher;
	}

	/**
	 * A confirmation with a new payment id.
	 * @param orderId the order
	 * @return the envelope
	 */
	public static String confirmed(String orderId) {
		ObjectNode data = json.createObjectNode().put("orderId", orderId).put("outcome", "CONFIRMED");
		data.put("paymentId", "pay_test_" + UUID.randomUUID().toString().substring(0, 8));
		return envelope(data);
	}

	/**
	 * A rejection.
	 * @param orderId the order
	 * @param reason why
	 * @return the envelope
	 */
	public static String rejected(String orderId, String reason) {
		return envelope(
				json.createObjectNode().put("orderId", orderId).put("outcome", "REJECTED").put("reason", reason));
	}

	static String envelope(ObjectNode data) {
		ObjectNode envelope = json.createObjectNode();
		envelope.put("messageId", UUID.randomUUID().toString());
		envelope.put("type", "order.processed");
		envelope.put("occurredAt", Instant.now().toString());
		envelope.set("data", data);
		return envelope.toString();
	}

	static String messageId(String envelope) {
		return json.readTree(envelope).get("messageId").asString();
	}

	/**
	 * Publishes a result as the worker does, waiting for the broker's confirmation.
	 * @param envelope the envelope
	 */
	public void publish(String envelope) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId(envelope));
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		this.publisher.publish("worker-events", "order.processed",
				new Message(envelope.getBytes(StandardCharsets.UTF_8), properties));
	}

}
