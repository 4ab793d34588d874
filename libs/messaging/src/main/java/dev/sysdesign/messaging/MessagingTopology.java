package dev.sysdesign.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;

/**
 * The RabbitMQ topology the platform declares in code (RabbitMQ 3.10 and 4.x):
 * <ul>
 * <li>a <b>work queue</b> is a quorum queue with an explicit delivery limit (3.10 has no
 * default), dead-lettering at-least-once to {@value #DEAD_LETTERS} (a message that keeps
 * crashing its consumer ends there);</li>
 * <li>its <b>retry tiers</b> are quorum queues with a message TTL each (for example 1 s,
 * 10 s, 60 s) that dead-letter back to the work queue through the default exchange: a
 * consumer that fails transiently republishes the message to the next tier;</li>
 * <li>{@value #DEAD_LETTERS} is a fanout exchange and a quorum queue that worker-service
 * drains into its {@code dead_letters} table.</li>
 * </ul>
 */
public final class MessagingTopology {

	/** The exchange and queue of messages that cannot be processed. */
	public static final String DEAD_LETTERS = "dead-letters";

	private MessagingTopology() {
	}

	/**
	 * The exchange events are published to.
	 * @param name the exchange
	 * @return a durable topic exchange
	 */
	public static TopicExchange events(String name) {
		return new TopicExchange(name, true, false);
	}

	/**
	 * A work queue bound to an exchange, with its retry tiers.
	 * @param queue the queue
	 * @param exchange the exchange it consumes from
	 * @param routingKey the routing key
	 * @param retryDelays the delay of each retry tier
	 * @param deliveryLimit redeliveries before the broker dead-letters a message
	 * @return the declarables
	 */
	public static Declarables workQueue(String queue, TopicExchange exchange, String routingKey,
			List<Duration> retryDelays, int deliveryLimit) {
		List<Declarable> declarables = new ArrayList<>();
		Map<String, Object> arguments = quorum();
		arguments.put("x-delivery-limit", deliveryLimit);
		arguments.put("x-dead-letter-exchange", DEAD_LETTERS);
		Queue work = new Queue(queue, true, false, false, arguments);
		declarables.add(exchange);
		declarables.add(work);
		declarables.add(BindingBuilder.bind(work).to(exchange).with(routingKey));
		for (Duration delay : retryDelays) {
			Map<String, Object> tier = quorum();
			tier.put("x-message-ttl", delay.toMillis());
			tier.put("x-dead-letter-exchange", "");
			tier.put("x-dead-letter-routing-key", queue);
			declarables.add(new Queue(retryQueue(queue, delay), true, false, false, tier));
		}
		return new Declarables(declarables);
	}

	/**
	 * The dead-letter exchange and queue.
	 * @return the declarables
	 */
	public static Declarables deadLetters() {
		FanoutExchange exchange = new FanoutExchange(DEAD_LETTERS, true, false);
		Map<String, Object> arguments = new HashMap<>();
		arguments.put("x-queue-type", "quorum");
		// the drain gives a dead letter back while its database is down; RabbitMQ 4
		// would drop it after 20 returns by default
		arguments.put("x-delivery-limit", 1_000_000);
		Queue queue = new Queue(DEAD_LETTERS, true, false, false, arguments);
		Binding binding = BindingBuilder.bind(queue).to(exchange);
		return new Declarables(exchange, queue, binding);
	}

	/**
	 * The dead-letter exchange alone (services that dead-letter but do not drain).
	 * @return the exchange
	 */
	public static FanoutExchange deadLetterExchange() {
		return new FanoutExchange(DEAD_LETTERS, true, false);
	}

	/**
	 * The name of a retry tier queue.
	 * @param queue the work queue
	 * @param delay the tier's delay
	 * @return {@code <queue>.retry.<millis>ms}
	 */
	public static String retryQueue(String queue, Duration delay) {
		return queue + ".retry." + delay.toMillis() + "ms";
	}

	private static Map<String, Object> quorum() {
		Map<String, Object> arguments = new HashMap<>();
		arguments.put("x-queue-type", "quorum");
		arguments.put("x-dead-letter-strategy", "at-least-once");
		arguments.put("x-overflow", "reject-publish");
		return arguments;
	}

}
