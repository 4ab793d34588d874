package dev.sysdesign.orders.order;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sysdesign.contracts.messages.Messages;
import dev.sysdesign.messaging.MessagingProperties;
import dev.sysdesign.messaging.MessagingTopology;
import dev.sysdesign.messaging.ReliableConsumer;
import dev.sysdesign.messaging.ReliableConsumers;

/**
 * The orders' part of the RabbitMQ topology, declared on every connection: the exchange
 * the order events are published to, the work queue {@value #PROCESSED_QUEUE} of the
 * worker's payment results (with retry tiers), and the dead letters.
 */
@Configuration(proxyBeanMethods = false)
class OrderMessagingConfiguration {

	/** The work queue of payment results. */
	static final String PROCESSED_QUEUE = "order-service.order-processed";

	@Bean
	Declarables orderEventsExchange() {
		return new Declarables(MessagingTopology.events(Messages.ORDER_PLACED.exchange()));
	}

	@Bean
	Declarables deadLetterTopology() {
		return MessagingTopology.deadLetters();
	}

	@Bean
	Declarables orderProcessedQueue(MessagingProperties properties) {
		return MessagingTopology.workQueue(PROCESSED_QUEUE,
				MessagingTopology.events(Messages.ORDER_PROCESSED.exchange()), Messages.ORDER_PROCESSED.routingKey(),
				properties.retryDelays(), properties.deliveryLimit());
	}

	@Bean
	ReliableConsumer orderProcessedConsumer(ReliableConsumers consumers) {
		return consumers.forQueue(PROCESSED_QUEUE);
	}

}
