package dev.sysdesign.orders.messaging;

import java.util.UUID;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sysdesign.contracts.messages.Messages;
import dev.sysdesign.messaging.MessagingTopology;
import dev.sysdesign.messaging.ReliableConsumer;
import dev.sysdesign.messaging.ReliableConsumers;

/**
 * This instance's queue of the changes every instance must hear
 * ({@code order.status-changed}, {@code product.changed}): exclusive and auto-deleted, so
 * it lives as long as the instance's connection (a named queue, because Spring AMQP's
 * {@code AnonymousQueue} adds an argument RabbitMQ 3.10 rejects).
 */
@Configuration(proxyBeanMethods = false)
class FanOutConfiguration {

	@Bean
	Queue statusChangedQueue(@Value("${spring.application.name}") String service) {
		return new Queue(service + ".status-changed." + UUID.randomUUID(), false, true, true);
	}

	@Bean
	Binding statusChangedBinding(Queue statusChangedQueue) {
		return bind(statusChangedQueue, Messages.ORDER_STATUS_CHANGED.exchange(),
				Messages.ORDER_STATUS_CHANGED.routingKey());
	}

	@Bean
	Binding productChangedBinding(Queue statusChangedQueue) {
		return bind(statusChangedQueue, Messages.PRODUCT_CHANGED.exchange(), Messages.PRODUCT_CHANGED.routingKey());
	}

	/** Dead-letters the changes this instance cannot read. */
	@Bean
	ReliableConsumer statusChangedConsumer(ReliableConsumers consumers, Queue statusChangedQueue) {
		return consumers.forQueue(statusChangedQueue.getName());
	}

	private static Binding bind(Queue queue, String exchange, String routingKey) {
		return BindingBuilder.bind(queue).to(MessagingTopology.events(exchange)).with(routingKey);
	}

}
