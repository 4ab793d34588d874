package dev.sysdesign.redis;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Starts a {@link RedisMessageListenerContainer} without making Redis a start-up
 * requirement: a container started while Redis is down fails the application's start, so
 * this one's start is taken over (its auto-start turned off) and done in the background,
 * retried until Redis answers. Once subscribed, the client resubscribes by itself after
 * an outage.
 */
public final class RedisListenerStarter implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RedisListenerStarter.class);

	private final String description;

	private final RedisMessageListenerContainer container;

	private final Duration retry;

	private final Runnable prepare;

	private volatile @Nullable Thread starter;

	/**
	 * Takes over a container's start.
	 * @param description what the container listens to, for the logs
	 * @param container the container, not started yet
	 * @param retry the pause between two attempts
	 * @param prepare run before each attempt on a connection that works; an exception
	 * makes the attempt fail
	 */
	public RedisListenerStarter(String description, RedisMessageListenerContainer container, Duration retry,
			Runnable prepare) {
		this.description = description;
		this.container = container;
		this.retry = retry;
		this.prepare = prepare;
		container.setAutoStartup(false);
	}

	@Override
	public void start() {
		this.starter = Thread.ofVirtual().name("redis-listener-starter").start(this::connect);
	}

	private void connect() {
		while (!Thread.currentThread().isInterrupted()) {
			try {
				this.prepare.run();
				this.container.start();
				log.info("Listening to {}", this.description);
				return;
			}
			catch (RuntimeException ex) {
				log.warn("{} unavailable, retrying in {} s: {}", this.description, this.retry.toSeconds(),
						ex.getMessage());
				stopContainer();
			}
			try {
				Thread.sleep(this.retry);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	@Override
	public void stop() {
		Thread thread = this.starter;
		if (thread != null) {
			thread.interrupt();
		}
		this.starter = null;
		stopContainer();
	}

	private void stopContainer() {
		if (this.container.isRunning()) {
			this.container.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.starter != null;
	}

}
