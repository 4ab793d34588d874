package dev.sysdesign.messaging;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps the inbox bounded: every {@code purgeInterval} it deletes the ids of messages
 * processed longer than {@code retention} ago, in short statements of
 * {@code purgeBatchSize} rows until none is left. Every instance runs it; deletes of the
 * same rows by two instances are harmless. Metric: {@code inbox.purged}.
 */
public class InboxPurge implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(InboxPurge.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final MessagingProperties.Inbox settings;

	private final Counter purged;

	private @Nullable ScheduledExecutorService scheduler;

	public InboxPurge(JdbcClient jdbc, Clock clock, MessagingProperties.Inbox settings, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.settings = settings;
		this.purged = Counter.builder("inbox.purged")
			.description("Processed message ids deleted from the inbox after the retention")
			.register(meters);
	}

	/**
	 * Deletes every id older than the retention.
	 * @return how many were deleted
	 */
	public int purge() {
		LocalDateTime cutoff = LocalDateTime.ofInstant(this.clock.instant().minus(this.settings.retention()),
				ZoneOffset.UTC);
		int total = 0;
		int deleted;
		do {
			deleted = this.jdbc.sql("DELETE FROM inbox WHERE processed_at < ? LIMIT ?")
				.params(cutoff, this.settings.purgeBatchSize())
				.update();
			total += deleted;
		}
		while (deleted == this.settings.purgeBatchSize());
		this.purged.increment(total);
		return total;
	}

	private void purgeQuietly() {
		try {
			purge();
		}
		catch (RuntimeException ex) {
			log.warn("Inbox purge failed, trying again in {}: {}", this.settings.purgeInterval(), ex.toString());
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "inbox-purge");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.settings.purgeInterval().toMillis();
		executor.scheduleWithFixedDelay(this::purgeQuietly, interval, interval, TimeUnit.MILLISECONDS);
		this.scheduler = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		if (executor != null) {
			executor.shutdownNow();
		}
		this.scheduler = null;
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		// stops before the data source
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

}
