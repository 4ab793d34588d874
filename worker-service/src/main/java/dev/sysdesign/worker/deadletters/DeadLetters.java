package dev.sysdesign.worker.deadletters;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sysdesign.messaging.ConfirmedPublisher;
import dev.sysdesign.messaging.MessagingTopology;
import dev.sysdesign.messaging.ReliableConsumer;
import dev.sysdesign.messaging.TraceHeaders;

/**
 * Dead letters for operators: drains the {@code dead-letters} queue into the
 * {@code dead_letter} table (once per dead letter, acknowledged after the commit), lists
 * them, and replays one to the queue it failed in.
 * <p>
 * A dead letter comes either from a consumer (after its last retry, or at once when
 * malformed; the {@code x-original-*} and {@code x-error} headers say where and why) or
 * from the broker itself, when a message exceeded its queue's delivery limit (its
 * consumer kept crashing; the {@code x-death} header says where).
 */
@Service
public class DeadLetters {

	private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

	private final DeadLetterRepository repository;

	private final TransactionTemplate transactions;

	private final ConfirmedPublisher publisher;

	private final Clock clock;

	private final Counter drained;

	private final Counter replayed;

	DeadLetters(DeadLetterRepository repository, TransactionTemplate transactions, ConfirmedPublisher publisher,
			Clock clock, MeterRegistry meters) {
		this.repository = repository;
		this.transactions = transactions;
		this.publisher = publisher;
		this.clock = clock;
		this.drained = Counter.builder("dead-letters.drained")
			.description("Dead letters stored for operators")
			.register(meters);
		this.replayed = Counter.builder("dead-letters.replayed")
			.description("Dead letters replayed by operators")
			.register(meters);
	}

	@RabbitListener(id = "dead-letters", queues = MessagingTopology.DEAD_LETTERS, ackMode = "MANUAL", concurrency = "1")
	void onDeadLetter(Message message, Channel channel) throws IOException {
		long tag = message.getMessageProperties().getDeliveryTag();
		try {
			DeadLetterRepository.Received received = received(message);
			Boolean stored = this.transactions.execute((status) -> this.repository.insert(key(message), received));
			if (Boolean.TRUE.equals(stored)) {
				this.drained.increment();
				log.warn("Dead letter from {}: {} ({} attempts)", received.queue(), received.error(),
						received.attempts());
			}
			channel.basicAck(tag, false);
		}
		catch (RuntimeException ex) {
			// the database is unavailable: give the message back after a pause (the
			// queue's delivery limit is high enough for long outages)
			log.warn("Could not store a dead letter, retrying: {}", ex.toString());
			pause();
			channel.basicNack(tag, false, true);
		}
	}

	/**
	 * The most recent dead letters, newest first.
	 * @param limit at most this many
	 * @return the dead letters
	 */
	public List<DeadLetter> recent(int limit) {
		return this.repository.findRecent(limit);
	}

	/**
	 * Publishes a dead letter again to the queue it failed in, as a first attempt, and
	 * marks it replayed. The message keeps its id: if it was processed meanwhile, the
	 * consumer's inbox ignores it.
	 * @param id the dead letter
	 * @return the dead letter, replayed
	 * @throws DeadLetterNotFoundException when there is no such dead letter
	 * @throws DeadLetterReplayedException when it was replayed before, or cannot be
	 * replayed (no queue known)
	 * @throws ConfirmedPublisher.PublicationFailedException when the broker did not take
	 * it (nothing changed)
	 */
	public DeadLetter replay(long id) {
		return this.transactions.execute((status) -> {
			DeadLetter letter = this.repository.findByIdForUpdate(id)
				.orElseThrow(() -> new DeadLetterNotFoundException(id));
			if (letter.replayed()) {
				throw new DeadLetterReplayedException(id, "it was replayed at " + letter.replayedAt());
			}
			if (letter.queue() == null) {
				throw new DeadLetterReplayedException(id, "the queue it failed in is unknown");
			}
			this.publisher.publish("", letter.queue(), replayMessage(letter));
			Instant now = this.clock.instant();
			this.repository.markReplayed(id, now);
			this.replayed.increment();
			log.info("Dead letter {} replayed to {}", id, letter.queue());
			return new DeadLetter(letter.id(), letter.messageId(), letter.messageType(), letter.queue(),
					letter.exchange(), letter.routingKey(), letter.error(), letter.attempts(), letter.payload(),
					letter.deadLetteredAt(), now, letter.body(), letter.contentType(), letter.traceparent());
		});
	}

	private static Message replayMessage(DeadLetter letter) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(letter.messageId());
		properties.setType(letter.messageType());
		properties.setContentType(letter.contentType());
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		properties.setHeader(ReliableConsumer.ATTEMPT, 1);
		properties.setHeader("x-replayed-from", letter.id());
		if (letter.exchange() != null) {
			properties.setHeader(ReliableConsumer.ORIGINAL_EXCHANGE, letter.exchange());
			properties.setHeader(ReliableConsumer.ORIGINAL_ROUTING_KEY, letter.routingKey());
		}
		if (letter.traceparent() != null) {
			properties.setHeader(TraceHeaders.TRACEPARENT, letter.traceparent());
		}
		return new Message(letter.body(), properties);
	}

	private DeadLetterRepository.Received received(Message message) {
		MessageProperties properties = message.getMessageProperties();
		String traceparent = header(properties, TraceHeaders.TRACEPARENT);
		String error = header(properties, ReliableConsumer.ERROR);
		Instant now = this.clock.instant();
		if (error != null) {
			Object attempts = properties.getHeader(ReliableConsumer.ATTEMPT);
			return new DeadLetterRepository.Received(properties.getMessageId(), properties.getType(),
					header(properties, ReliableConsumer.ORIGINAL_EXCHANGE),
					header(properties, ReliableConsumer.ORIGINAL_ROUTING_KEY),
					header(properties, ReliableConsumer.ORIGINAL_QUEUE), error,
					(attempts instanceof Number number) ? number.intValue() : 1, message.getBody(),
					properties.getContentType(), traceparent, now);
		}
		Map<String, ?> death = lastDeath(properties);
		if (death != null) {
			String reason = String.valueOf(death.get("reason"));
			Object count = properties.getHeader("x-delivery-count");
			int attempts = (count instanceof Number number) ? number.intValue() + 1 : 1;
			return new DeadLetterRepository.Received(properties.getMessageId(), properties.getType(),
					stringOrNull(death.get("exchange")), firstRoutingKey(death.get("routing-keys")),
					stringOrNull(death.get("queue")), brokerError(reason), attempts, message.getBody(),
					properties.getContentType(), traceparent, now);
		}
		return new DeadLetterRepository.Received(properties.getMessageId(), properties.getType(),
				properties.getReceivedExchange(), properties.getReceivedRoutingKey(), null,
				"published to dead-letters directly, without a reason", 0, message.getBody(),
				properties.getContentType(), traceparent, now);
	}

	/** A key that is the same for every delivery of one dead letter. */
	private static String key(Message message) {
		MessageProperties properties = message.getMessageProperties();
		String id = header(properties, ReliableConsumer.DEAD_LETTER_ID);
		if (id != null) {
			return "consumer:" + id;
		}
		Map<String, ?> death = lastDeath(properties);
		if (death != null && properties.getMessageId() != null && death.get("time") instanceof Date time) {
			String key = "broker:" + properties.getMessageId() + ":" + death.get("queue") + ":" + death.get("count")
					+ ":" + time.getTime();
			return (key.length() > 160) ? key.substring(0, 160) : key;
		}
		return "unkeyed:" + UUID.randomUUID();
	}

	private static String brokerError(String reason) {
		return switch (reason) {
			case "delivery_limit" -> "delivery limit exceeded: its consumer kept dying or hanging before "
					+ "acknowledging it (dead-lettered by RabbitMQ)";
			case "rejected" -> "rejected by its consumer without requeueing (dead-lettered by RabbitMQ)";
			case "expired" -> "expired in its queue (dead-lettered by RabbitMQ)";
			case "maxlen" -> "its queue was full (dead-lettered by RabbitMQ)";
			default -> "dead-lettered by RabbitMQ: " + reason;
		};
	}

	private static @Nullable Map<String, ?> lastDeath(MessageProperties properties) {
		List<Map<String, ?>> deaths = properties.getXDeathHeader();
		return (deaths != null && !deaths.isEmpty()) ? deaths.get(0) : null;
	}

	private static @Nullable String firstRoutingKey(@Nullable Object keys) {
		if (keys instanceof List<?> list && !list.isEmpty()) {
			return String.valueOf(list.get(0));
		}
		return null;
	}

	private static @Nullable String header(MessageProperties properties, String name) {
		return stringOrNull(properties.getHeader(name));
	}

	private static @Nullable String stringOrNull(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static void pause() {
		try {
			Thread.sleep(Duration.ofSeconds(1));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
