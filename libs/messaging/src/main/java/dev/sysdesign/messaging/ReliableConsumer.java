package dev.sysdesign.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Processes the deliveries of one work queue reliably, with manual acknowledgement:
 * <ul>
 * <li>the processing and the inbox record of the message id run in one transaction, and
 * the delivery is acknowledged only after it committed — a redelivery or a duplicate
 * changes nothing;</li>
 * <li>a malformed message (not an envelope, unknown type, missing ids) is dead-lettered
 * at once with the reason;</li>
 * <li>any other failure republishes the message to the next retry tier (a TTL queue that
 * dead-letters back to the work queue), and after the last tier dead-letters it with the
 * error and the number of attempts. Publications wait for the broker's confirmation
 * before the original is acknowledged: a message is never lost in between.</li>
 * </ul>
 * A message that crashes the JVM instead is redelivered by the broker, which dead-letters
 * it itself past the queue's delivery limit. Other messages keep flowing meanwhile.
 */
public class ReliableConsumer {

	/** Header: the attempt a delivery is (1 for the first). */
	public static final String ATTEMPT = "x-attempt";

	/** Dead-letter headers. */
	public static final String ORIGINAL_EXCHANGE = "x-original-exchange";

	public static final String ORIGINAL_ROUTING_KEY = "x-original-routing-key";

	public static final String ORIGINAL_QUEUE = "x-original-queue";

	public static final String ERROR = "x-error";

	public static final String DEAD_LETTER_ID = "x-dead-letter-id";

	private static final Logger log = LoggerFactory.getLogger(ReliableConsumer.class);

	private final String queue;

	private final EnvelopeCodec codec;

	private final Inbox inbox;

	private final TransactionTemplate transactions;

	private final ConfirmedPublisher publisher;

	private final List<Duration> retryDelays;

	private final Counter processed;

	private final Counter duplicates;

	private final Counter redelivered;

	private final Counter retried;

	private final Counter deadLettered;

	public ReliableConsumer(String queue, EnvelopeCodec codec, Inbox inbox, TransactionTemplate transactions,
			ConfirmedPublisher publisher, List<Duration> retryDelays, MeterRegistry meters) {
		this.queue = queue;
		this.codec = codec;
		this.inbox = inbox;
		this.transactions = transactions;
		this.publisher = publisher;
		if (retryDelays.isEmpty()) {
			throw new IllegalArgumentException("at least one retry tier is needed");
		}
		this.retryDelays = List.copyOf(retryDelays);
		this.processed = counter(meters, "processed");
		this.duplicates = counter(meters, "duplicates");
		this.redelivered = counter(meters, "redelivered");
		this.retried = counter(meters, "retried");
		this.deadLettered = counter(meters, "dead-lettered");
	}

	private Counter counter(MeterRegistry meters, String outcome) {
		return Counter.builder("messages.consumed")
			.description("Deliveries by outcome")
			.tag("queue", this.queue)
			.tag("outcome", outcome)
			.register(meters);
	}

	/**
	 * Handles a delivery and acknowledges it.
	 * @param message the delivery
	 * @param channel its channel
	 * @param handler the processing, run in the inbox's transaction
	 * @throws IOException when the channel fails (the broker redelivers)
	 */
	public void handle(Message message, Channel channel, Handler handler) throws IOException {
		MessageProperties properties = message.getMessageProperties();
		long tag = properties.getDeliveryTag();
		if (Boolean.TRUE.equals(properties.getRedelivered())) {
			this.redelivered.increment();
		}
		int attempt = attempt(properties);
		Envelope envelope;
		try {
			envelope = this.codec.read(message.getBody());
		}
		catch (MalformedMessageException ex) {
			settle(channel, tag, () -> deadLetter(message, "malformed: " + ex.getMessage(), attempt));
			return;
		}
		try {
			this.transactions.executeWithoutResult((status) -> {
				if (!this.inbox.firstDelivery(envelope.messageId())) {
					this.duplicates.increment();
					return;
				}
				handler.process(envelope);
				this.processed.increment();
			});
			channel.basicAck(tag, false);
		}
		catch (MalformedMessageException ex) {
			settle(channel, tag, () -> deadLetter(message, "malformed: " + ex.getMessage(), attempt));
		}
		catch (RuntimeException ex) {
			if (isInfrastructureFailure(ex)) {
				// the service's own database is unreachable: not the message's fault, so
				// the attempt is not used up; it comes back after the first tier's delay
				log.warn("{} could not be processed, the database is unavailable ({}); retrying", envelope.messageId(),
						ex.toString());
				settle(channel, tag, () -> retry(message, attempt, this.retryDelays.get(0)));
			}
			else if (attempt <= this.retryDelays.size()) {
				Duration delay = this.retryDelays.get(attempt - 1);
				log.info("{} failed on attempt {} ({}); retrying in {} ms", envelope.messageId(), attempt,
						ex.toString(), delay.toMillis());
				settle(channel, tag, () -> retry(message, attempt + 1, delay));
			}
			else {
				log.warn("{} failed on its last attempt {}; dead-lettered: {}", envelope.messageId(), attempt,
						ex.toString());
				settle(channel, tag, () -> deadLetter(message, describe(ex), attempt));
			}
		}
	}

	/**
	 * Dead-letters a delivery that a listener settling its own deliveries cannot process
	 * (a fanned-out change of an unknown type, a payload that breaks its contract), with
	 * the reason. Unlike {@link #handle}, it neither acknowledges nor uses the inbox.
	 * @param message the delivery
	 * @param error why it cannot be processed
	 */
	public void reject(Message message, String error) {
		deadLetter(message, "malformed: " + error, attempt(message.getMessageProperties()));
	}

	/**
	 * Runs a publication, then acknowledges; if the publication fails the broker
	 * redelivers.
	 */
	private void settle(Channel channel, long tag, Runnable publication) throws IOException {
		try {
			publication.run();
			channel.basicAck(tag, false);
		}
		catch (RuntimeException ex) {
			log.warn("Could not hand a message on ({}); the broker will redeliver it", ex.toString());
			channel.basicNack(tag, false, true);
		}
	}

	private void retry(Message message, int nextAttempt, Duration delay) {
		MessageProperties received = message.getMessageProperties();
		Message copy = copy(message);
		MessageProperties properties = copy.getMessageProperties();
		properties.setHeader(ATTEMPT, nextAttempt);
		// the retry comes back through the default exchange: remember where it came from
		if (properties.getHeader(ORIGINAL_EXCHANGE) == null) {
			properties.setHeader(ORIGINAL_EXCHANGE, received.getReceivedExchange());
			properties.setHeader(ORIGINAL_ROUTING_KEY, received.getReceivedRoutingKey());
		}
		this.publisher.publish("", MessagingTopology.retryQueue(this.queue, delay), copy);
		this.retried.increment();
	}

	private void deadLetter(Message message, String error, int attempts) {
		MessageProperties received = message.getMessageProperties();
		Message copy = copy(message);
		MessageProperties properties = copy.getMessageProperties();
		properties.setHeader(DEAD_LETTER_ID, UUID.randomUUID().toString());
		if (properties.getHeader(ORIGINAL_EXCHANGE) == null) {
			properties.setHeader(ORIGINAL_EXCHANGE, received.getReceivedExchange());
			properties.setHeader(ORIGINAL_ROUTING_KEY, received.getReceivedRoutingKey());
		}
		properties.setHeader(ORIGINAL_QUEUE, this.queue);
		properties.setHeader(ERROR, (error.length() > 1000) ? error.substring(0, 1000) : error);
		properties.setHeader(ATTEMPT, attempts);
		this.publisher.publish(MessagingTopology.DEAD_LETTERS, "", copy);
		this.deadLettered.increment();
	}

	private static Message copy(Message message) {
		MessageProperties received = message.getMessageProperties();
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(received.getMessageId());
		properties.setType(received.getType());
		properties.setContentType(received.getContentType());
		properties.setContentEncoding(received.getContentEncoding());
		properties.setDeliveryMode(org.springframework.amqp.core.MessageDeliveryMode.PERSISTENT);
		received.getHeaders().forEach((name, value) -> {
			if (!name.startsWith("x-death") && !name.startsWith("x-first-death") && !name.startsWith("x-last-death")) {
				properties.setHeader(name, value);
			}
		});
		return new Message(message.getBody(), properties);
	}

	private static boolean isInfrastructureFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof org.springframework.dao.DataAccessResourceFailureException
					|| cause instanceof org.springframework.transaction.CannotCreateTransactionException
					|| cause instanceof java.sql.SQLTransientConnectionException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static int attempt(MessageProperties properties) {
		Object attempt = properties.getHeader(ATTEMPT);
		if (attempt instanceof Number number) {
			return Math.max(1, number.intValue());
		}
		return 1;
	}

	private static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root == ex) ? ex.toString() : ex + " (cause: " + root + ")";
	}

	/** The processing of one message, inside the inbox's transaction. */
	@FunctionalInterface
	public interface Handler {

		/**
		 * Processes a message.
		 * @param envelope the message
		 * @throws MalformedMessageException when the message can never be processed
		 */
		void process(Envelope envelope);

	}

}
