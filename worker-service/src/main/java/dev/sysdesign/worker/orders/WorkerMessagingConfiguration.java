package dev.sysdesign.worker.orders;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sysdesign.contracts.messages.Messages;
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

	static final String PLACED_QUEUE = "worker.order-placed";

	static final String CANCELLED_QUEUE = "worker.order-cancelled";

	@Bean
	Declarables workerEventsExchange() {
		return new Declarables(MessagingTopology.events(Messages.ORDER_PROCESSED.exchange()));
	}

	@Bean
	Declarables deadLetterTopology() {
		return MessagingTopology.deadLetters();
	}

	@Bean
	Declarables orderPlacedQueue(MessagingProperties properties) {
		return MessagingTopology.workQueue(PLACED_QUEUE, MessagingTopology.events(Messages.ORDER_PLACED.exchange()),
				Messages.ORDER_PLACED.routingKey(), properties.retryDelays(), properties.deliveryLimit());
	}

	@Bean
	Declarables orderCancelledQueue(MessagingProperties properties) {
		return MessagingTopology.workQueue(CANCELLED_QUEUE,
				MessagingTopology.events(Messages.ORDER_CANCELLED.exchange()), Messages.ORDER_CANCELLED.routingKey(),
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
