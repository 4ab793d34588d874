package dev.sysdesign.messaging;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the {@link ReliableConsumer} of each work queue with the service's settings.
 */
public class ReliableConsumers {

	private final EnvelopeCodec codec;

	private final Inbox inbox;

	private final TransactionTemplate transactions;

	private final ConfirmedPublisher publisher;

	private final MessagingProperties properties;

	private final MeterRegistry meters;

	public ReliableConsumers(EnvelopeCodec codec, Inbox inbox, TransactionTemplate transactions,
			ConfirmedPublisher publisher, MessagingProperties properties, MeterRegistry meters) {
		this.codec = codec;
		this.inbox = inbox;
		this.transactions = transactions;
		this.publisher = publisher;
		this.properties = properties;
		this.meters = meters;
	}

	/**
	 * The consumer of a work queue.
	 * @param queue the queue
	 * @return its consumer
	 */
	public ReliableConsumer forQueue(String queue) {
		return new ReliableConsumer(queue, this.codec, this.inbox, this.transactions, this.publisher,
				this.properties.retryDelays(), this.meters);
	}

}
