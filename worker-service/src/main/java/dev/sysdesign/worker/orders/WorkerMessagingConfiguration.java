package dev.sysdesign.worker.orders;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sysdesign.messaging.MessagingProperties;
import dev.sysdesign.messaging.MessagingTopology;
import dev.sysdesign.messaging.ReliableConsumer;
import dev.sysdesign.messaging.ReliableConsumers;

/**
 * The worker-service's part of the RabbitMQ topology, declared on every connection: its
 * work queues on {@code order-events} (quorum, with retry tiers and a delivery limit),
 * the {@code worker-events} exchange it publishes results to, and the dead letters it
 * drains.
 */
@Configuration(proxyBeanMethods = false)
class WorkerMessagingConfiguration {

	/** The exchange the order-service publishes to. */
	static final String ORDER_EVENTS = "order-events";

	/** The exchange of the worker's results. */
	static final String WORKER_EVENTS = "worker-events";

	static final String PLACED_QUEUE = "worker.order-placed";

	static final String CANCELLED_QUEUE = "worker.order-cancelled";

	static final String PLACED = "order.placed";

	static final String CANCELLED = "order.cancelled";

	static final String PROCESSED = "order.processed";

	@Bean
	Declarables workerEventsExchange() {
		return new Declarables(MessagingTopology.events(WORKER_EVENTS));
	}

	@Bean
	Declarables deadLetterTopology() {
		return MessagingTopology.deadLetters();
	}

	@Bean
	Declarables orderPlacedQueue(MessagingProperties properties) {
		return MessagingTopology.workQueue(PLACED_QUEUE, MessagingTopology.events(ORDER_EVENTS), PLACED,
				properties.retryDelays(), properties.deliveryLimit());
	}

	@Bean
	Declarables orderCancelledQueue(MessagingProperties properties) {
		return MessagingTopology.workQueue(CANCELLED_QUEUE, MessagingTopology.events(ORDER_EVENTS), CANCELLED,
				properties.retryDelays(), properties.deliveryLimit());
	}

	@Bean
	ReliableConsumer orderPlacedConsumer(ReliableConsumers consumers) {
		return consumers.forQueue(PLACED_QUEUE);
	}

	@Bean
	ReliableConsumer orderCancelledConsumer(ReliableConsumers consumers) {
		return consumers.forQueue(CANCELLED_QUEUE);
	}

}
