package dev.sysdesign.messaging;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the outbox: takes a batch of unsent rows with {@code FOR UPDATE SKIP LOCKED}
 * (so that relays of several instances never publish the same row at once), publishes
 * each with publisher confirms and mandatory routing, and deletes a row only after the
 * broker acknowledged it (the table holds only what is still to be sent, however many
 * orders pass through). A nack, an unroutable return, a timeout or a broken connection
 * leaves the row unsent with a backoff ({@code attempts}, {@code next_attempt_at}). A
 * relay that dies between publishing and marking publishes the row again later: a
 * duplicate, never a loss — consumers are idempotent.
 * <p>
 * Runs on its own thread: woken up after every commit that wrote outbox rows, and every
 * {@code pollInterval} otherwise (rows of other instances, retries). Each row is
 * published in a span continuing the trace of the transaction that wrote it
 * ({@link TraceHeaders#publishing}). Metrics: {@code outbox.published},
 * {@code outbox.publish.failures}, {@code outbox.relay.lag} (from the commit to the
 * broker's acknowledgement).
 */
public class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final TransactionTemplate transactions;

	private final RabbitTemplate rabbit;

	private final Clock clock;

	private final TraceHeaders traces;

	private final Settings settings;

	private final Semaphore signal = new Semaphore(0);

	private final Counter published;

	private final Counter failures;

	private final Timer lag;

	private volatile boolean running;

	private @Nullable Thread thread;

	private Instant lastWarning = Instant.EPOCH;

	public OutboxRelay(JdbcTemplate jdbcTemplate, TransactionTemplate transactions, RabbitTemplate rabbit, Clock clock,
			TraceHeaders traces, Settings settings, MeterRegistry meters) {
		this.jdbc = JdbcClient.create(jdbcTemplate);
		this.jdbcTemplate = jdbcTemplate;
		this.transactions = transactions;
		this.rabbit = rabbit;
		this.clock = clock;
		this.traces = traces;
		this.settings = settings;
		if (!rabbit.getConnectionFactory().isPublisherConfirms()
				|| !rabbit.getConnectionFactory().isPublisherReturns()) {
			throw new IllegalStateException("The outbox relay needs publisher confirms and returns: set "
					+ "spring.rabbitmq.publisher-confirm-type=correlated and spring.rabbitmq.publisher-returns=true");
		}
		this.published = Counter.builder("outbox.published")
			.description("Outbox messages the broker acknowledged")
			.register(meters);
		this.failures = Counter.builder("outbox.publish.failures")
			.description("Outbox publications that were nacked, returned, timed out or failed")
			.register(meters);
		this.lag = Timer.builder("outbox.relay.lag")
			.description("From the commit of an outbox row to the broker's acknowledgement")
			.publishPercentiles(0.5, 0.99)
			.register(meters);
	}

	/**
	 * Asks the relay to look at the outbox now (called after a commit that wrote rows).
	 */
	public void wakeUp() {
		if (this.signal.availablePermits() == 0) {
			this.signal.release();
		}
	}

	/**
	 * Publishes one batch.
	 * @return how many rows were taken (sent or not)
	 */
	public int relayOnce() {
		Integer taken = this.transactions.execute((status) -> {
			List<Row> rows = this.jdbc
				.sql("SELECT id, message_id, exchange, routing_key, message_type, payload, traceparent, attempts, "
						+ "created_at FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ? "
						+ "FOR UPDATE SKIP LOCKED")
				.params(utc(this.clock.instant()), this.settings.batchSize())
				.query(OutboxRelay::row)
				.list();
			if (rows.isEmpty()) {
				return 0;
			}
			List<CorrelationData> confirmations = new ArrayList<>(rows.size());
			List<TraceHeaders.Publication> publications = new ArrayList<>(rows.size());
			for (Row row : rows) {
				TraceHeaders.Publication publication = this.traces.publishing(row.traceparent(), row.exchange(),
						row.routingKey());
				publications.add(publication);
				CorrelationData confirmation = publish(row, publication.traceparent());
				confirmations.add(confirmation);
				if (confirmation == null) {
					// the broker is unreachable: the rest of the batch waits for the next
					// round instead of failing one connection attempt each
					break;
				}
			}
			List<Long> sent = new ArrayList<>();
			long deadline = System.nanoTime() + this.settings.confirmTimeout().toNanos();
			for (int i = 0; i < confirmations.size(); i++) {
				Row row = rows.get(i);
				String error = awaitConfirmation(confirmations.get(i), deadline);
				publications.get(i).end(error);
				if (error == null) {
					sent.add(row.id());
					this.lag.record(Duration.between(row.createdAt(), this.clock.instant()));
				}
				else {
					failed(row, error);
				}
			}
			if (!sent.isEmpty()) {
				// one statement per row (batched): an IN list is a range scan on the
				// primary key, which also locks the row after the range, another relay's,
				// and the two relays deadlock (then one of them publishes its whole batch
				// again)
				this.jdbcTemplate.batchUpdate("DELETE FROM outbox WHERE id = ?", sent, sent.size(),
						(statement, id) -> statement.setLong(1, id));
				this.published.increment(sent.size());
			}
			return confirmations.size();
		});
		return (taken != null) ? taken : 0;
	}

	private @Nullable CorrelationData publish(Row row, @Nullable String traceparent) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(row.messageId());
		properties.setType(row.type());
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setContentEncoding("UTF-8");
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		if (traceparent != null) {
			properties.setHeader(TraceHeaders.TRACEPARENT, traceparent);
		}
		Message message = MessageBuilder.withBody(row.payload()).andProperties(properties).build();
		CorrelationData correlation = new CorrelationData(row.id() + ":" + row.attempts() + ":" + System.nanoTime());
		try {
			this.rabbit.send(row.exchange(), row.routingKey(), message, correlation);
			return correlation;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Waits for the broker; returns why the publication failed, or null when
	 * acknowledged.
	 */
	private @Nullable String awaitConfirmation(@Nullable CorrelationData correlation, long deadline) {
		if (correlation == null) {
			return "publish failed (broker unreachable)";
		}
		try {
			long wait = Math.max(0, deadline - System.nanoTime());
			CorrelationData.Confirm confirm = correlation.getFuture().get(wait, TimeUnit.NANOSECONDS);
			if (correlation.getReturned() != null) {
				return "unroutable: " + correlation.getReturned().getReplyText();
			}
			return confirm.ack() ? null : "nacked: " + confirm.reason();
		}
		catch (java.util.concurrent.TimeoutException ex) {
			return "no confirmation within " + this.settings.confirmTimeout().toMillis() + " ms";
		}
		catch (java.util.concurrent.ExecutionException ex) {
			return "confirmation failed: " + ex.getCause();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	private void failed(Row row, String error) {
		this.failures.increment();
		long backoff = Math.min(this.settings.maxBackoff().toMillis(), 200L << Math.min(row.attempts(), 10));
		this.jdbc.sql("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?")
			.params(utc(this.clock.instant().plusMillis(backoff)), truncate(error), row.id())
			.update();
		Instant now = this.clock.instant();
		if (Duration.between(this.lastWarning, now).toSeconds() >= 10) {
			this.lastWarning = now;
			log.warn("Outbox message {} not published ({}); retrying with backoff", row.messageId(), error);
		}
	}

	private void loop() {
		while (this.running) {
			try {
				int taken = relayOnce();
				if (taken < this.settings.batchSize()) {
					boolean woken = this.signal.tryAcquire(this.settings.pollInterval().toMillis(),
							TimeUnit.MILLISECONDS);
					if (woken && !this.settings.linger().isZero()) {
						// let the commits of a busy moment share one batch (one
						// transaction)
						Thread.sleep(this.settings.linger());
					}
					this.signal.drainPermits();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				Instant now = this.clock.instant();
				if (Duration.between(this.lastWarning, now).toSeconds() >= 10) {
					this.lastWarning = now;
					log.warn("Outbox relay failed, retrying: {}", ex.toString());
				}
				try {
					Thread.sleep(this.settings.pollInterval());
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	@Override
	public void start() {
		this.running = true;
		Thread relay = new Thread(this::loop, "outbox-relay");
		relay.setDaemon(true);
		relay.start();
		this.thread = relay;
	}

	@Override
	public void stop() {
		this.running = false;
		Thread relay = this.thread;
		if (relay != null) {
			relay.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// stops before the connection factory and the data source
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		return new Row(rs.getLong("id"), rs.getString("message_id"), rs.getString("exchange"),
				rs.getString("routing_key"), rs.getString("message_type"), rs.getBytes("payload"),
				rs.getString("traceparent"), rs.getInt("attempts"),
				rs.getObject("created_at", LocalDateTime.class).toInstant(ZoneOffset.UTC));
	}

	private static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static String truncate(String text) {
		return (text.length() > 500) ? text.substring(0, 500) : text;
	}

	/**
	 * How the relay works.
	 *
	 * @param batchSize rows per transaction
	 * @param pollInterval the longest wait between two looks at the outbox
	 * @param confirmTimeout how long to wait for the broker's acknowledgements
	 * @param maxBackoff the longest wait before retrying a failed row
	 * @param linger how long the relay waits after a wake-up before it takes a batch, so
	 * that the commits of a busy moment share one transaction
	 */
	public record Settings(int batchSize, Duration pollInterval, Duration confirmTimeout, Duration maxBackoff,
			Duration linger) {

		/** Defaults: 100 rows, 200 ms, 5 s, 30 s, 5 ms. */
		public static final Settings DEFAULTS = new Settings(100, Duration.ofMillis(200), Duration.ofSeconds(5),
				Duration.ofSeconds(30), Duration.ofMillis(5));

	}

	private record Row(long id, String messageId, String exchange, String routingKey, String type, byte[] payload,
			@Nullable String traceparent, int attempts, Instant createdAt) {
	}

}
