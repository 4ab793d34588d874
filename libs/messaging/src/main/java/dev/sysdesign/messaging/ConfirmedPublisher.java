package dev.sysdesign.messaging;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes one message and waits until the broker has taken responsibility for it: a
 * publisher confirm ({@code ack}) for a message that reached a queue (publications are
 * mandatory, so an unroutable one comes back and fails).
 */
public class ConfirmedPublisher {

	private final RabbitTemplate rabbit;

	private final Duration timeout;

	public ConfirmedPublisher(RabbitTemplate rabbit, Duration timeout) {
		this.rabbit = rabbit;
		this.timeout = timeout;
	}

	/**
	 * Publishes and waits for the confirmation.
	 * @param exchange the exchange ({@code ""} for a queue by name)
	 * @param routingKey the routing key (the queue's name on the default exchange)
	 * @param message the message
	 * @throws PublicationFailedException when the broker is unreachable, nacks, returns
	 * the message or does not answer in time
	 */
	public void publish(String exchange, String routingKey, Message message) {
		CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
		try {
			this.rabbit.send(exchange, routingKey, message, correlation);
			CorrelationData.Confirm confirm = correlation.getFuture().get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
			if (correlation.getReturned() != null) {
				throw new PublicationFailedException("unroutable (" + correlation.getReturned().getReplyText() + "): "
						+ exchange + "/" + routingKey);
			}
			if (!confirm.ack()) {
				throw new PublicationFailedException("nacked by the broker: " + confirm.reason());
			}
		}
		catch (AmqpException ex) {
			throw new PublicationFailedException("broker unreachable: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublicationFailedException("interrupted while waiting for the broker", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new PublicationFailedException("no confirmation within " + this.timeout.toMillis() + " ms", ex);
		}
	}

	/** The broker did not take a message. */
	public static class PublicationFailedException extends RuntimeException {

		public PublicationFailedException(String message) {
			super(message);
		}

		public PublicationFailedException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
