package dev.sysdesign.orders.messaging;

import java.util.UUID;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sysdesign.messaging.MessagingProperties;
import dev.sysdesign.messaging.MessagingTopology;
import dev.sysdesign.messaging.ReliableConsumer;
import dev.sysdesign.messaging.ReliableConsumers;
import dev.sysdesign.orders.catalog.CatalogEvents;
import dev.sysdesign.orders.order.OrderEvents;

/**
 * The order-service's part of the RabbitMQ topology, declared on every connection: the
 * {@code order-events} exchange it publishes to, its work queue {@value #PROCESSED_QUEUE}
 * (with retry tiers) on {@code worker-events}, this instance's own queue of
 * {@code order.status-changed} events, and the dead letters.
 */
@Configuration(proxyBeanMethods = false)
class OrderMessagingConfiguration {

	/** The work queue of payment results. */
	static final String PROCESSED_QUEUE = "order-service.order-processed";

	/** The worker's exchange. */
	static final String WORKER_EVENTS = "worker-events";

	/** The routing key (and type) of payment results. */
	static final String PROCESSED = "order.processed";

	@Bean
	Declarables orderEventsExchange() {
		return new Declarables(MessagingTopology.events(OrderEvents.EXCHANGE));
	}

	@Bean
	Declarables deadLetterTopology() {
		return MessagingTopology.deadLetters();
	}

	@Bean
	Declarables orderProcessedQueue(MessagingProperties properties) {
		return MessagingTopology.workQueue(PROCESSED_QUEUE, MessagingTopology.events(WORKER_EVENTS), PROCESSED,
				properties.retryDelays(), properties.deliveryLimit());
	}

	/**
	 * This instance's queue of the fanned-out changes ({@code order.status-changed},
	 * {@code product.changed}): exclusive and auto-deleted, so it lives as long as the
	 * instance's connection (a named queue, because Spring AMQP's {@code AnonymousQueue}
	 * adds an argument RabbitMQ 3.10 rejects).
	 */
	@Bean
	Queue statusChangedQueue(@Value("${spring.application.name}") String service) {
		return new Queue(service + ".status-changed." + UUID.randomUUID(), false, true, true);
	}

	@Bean
	Binding statusChangedBinding(Queue statusChangedQueue) {
		return BindingBuilder.bind(statusChangedQueue)
			.to(MessagingTopology.events(OrderEvents.EXCHANGE))
			.with(OrderEvents.STATUS_CHANGED);
	}

	@Bean
	Binding productChangedBinding(Queue statusChangedQueue) {
		return BindingBuilder.bind(statusChangedQueue)
			.to(MessagingTopology.events(CatalogEvents.EXCHANGE))
			.with(CatalogEvents.CHANGED);
	}

	@Bean
	ReliableConsumer orderProcessedConsumer(ReliableConsumers consumers) {
		return consumers.forQueue(PROCESSED_QUEUE);
	}

}
