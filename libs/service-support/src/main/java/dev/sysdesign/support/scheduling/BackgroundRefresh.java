package dev.sysdesign.support.scheduling;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs a task at once and then every {@code interval} after the previous run ended, on a
 * daemon thread of its own, while the application runs: for figures that are expensive or
 * slow to compute (a query, a Redis command) and are read often (a scrape), which then
 * only reads the last result. A run that fails is logged; the next comes as planned.
 */
public class BackgroundRefresh implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BackgroundRefresh.class);

	private final String name;

	private final Duration interval;

	private final Runnable task;

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * Creates the refresh.
	 * @param name the thread's name
	 * @param interval the pause between two runs
	 * @param task the task
	 */
	public BackgroundRefresh(String name, Duration interval, Runnable task) {
		this.name = name;
		this.interval = interval;
		this.task = task;
	}

	private void run() {
		try {
			this.task.run();
		}
		catch (RuntimeException ex) {
			log.warn("{} failed: {}", this.name, ex.toString());
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService started = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(this.name).daemon().factory());
		started.scheduleWithFixedDelay(this::run, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = started;
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.executor;
		if (running != null) {
			running.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
