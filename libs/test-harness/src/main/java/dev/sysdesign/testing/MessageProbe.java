package dev.sysdesign.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Watches what the services publish: a queue of the test's own, bound to an exchange with
 * a routing key on the real broker (never through a proxy), collecting every message. The
 * queue disappears with the probe.
 */
public final class MessageProbe implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Connection connection;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private MessageProbe(Connection connection) {
		this.connection = connection;
	}

	/**
	 * Starts watching.
	 * @param exchange an exchange the services declared
	 * @param routingKey the binding key
	 * @return the probe
	 */
	public static MessageProbe watch(String exchange, String routingKey) {
		PlatformInfrastructure.Endpoint rabbit = PlatformInfrastructure.get().rabbit();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(rabbit.host());
		factory.setPort(rabbit.port());
		factory.setUsername(rabbit.user());
		factory.setPassword(rabbit.password());
		try {
			Connection connection = factory.newConnection("message-probe");
			MessageProbe probe = new MessageProbe(connection);
			Channel channel = connection.createChannel();
			String queue = "test-probe." + UUID.randomUUID();
			channel.queueDeclare(queue, false, true, true, Map.of());
			channel.queueBind(queue, exchange, routingKey);
			channel.basicConsume(queue, true,
					(tag, delivery) -> probe.received.add(new Received(delivery.getProperties(), delivery.getBody())),
					(tag) -> {
					});
			return probe;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The messages whose envelope's {@code data} matches.
	 * @param filter on the payload
	 * @return the messages so far
	 */
	public List<Received> messages(Predicate<JsonNode> filter) {
		List<Received> matching = new ArrayList<>();
		for (Received message : this.received) {
			JsonNode data = message.envelope().get("data");
			if (data != null && filter.test(data)) {
				matching.add(message);
			}
		}
		return matching;
	}

	/**
	 * The messages about an order ({@code data.orderId}).
	 * @param orderId the order
	 * @return the messages so far
	 */
	public List<Received> forOrder(String orderId) {
		return messages((data) -> data.has("orderId") && orderId.equals(data.get("orderId").asString()));
	}

	/**
	 * Waits for a message about an order.
	 * @param orderId the order
	 * @param timeout how long to wait
	 * @return the first one
	 */
	public Received await(String orderId, Duration timeout) {
		Awaitility.await("a message about order " + orderId)
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> !forOrder(orderId).isEmpty());
		return forOrder(orderId).get(0);
	}

	/**
	 * Every message received so far.
	 * @return the messages
	 */
	public List<Received> all() {
		return List.copyOf(this.received);
	}

	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A message as received.
	 *
	 * @param properties its AMQP properties
	 * @param body its body
	 */
	public record Received(AMQP.BasicProperties properties, byte[] body) {

		/**
		 * The body as JSON.
		 * @return the envelope
		 */
		public JsonNode envelope() {
			return json.readTree(this.body);
		}

		/**
		 * A header as text.
		 * @param name the header
		 * @return its value, or {@code null}
		 */
		public String header(String name) {
			Object value = (this.properties.getHeaders() != null) ? this.properties.getHeaders().get(name) : null;
			return (value != null) ? value.toString() : null;
		}

	}

}
