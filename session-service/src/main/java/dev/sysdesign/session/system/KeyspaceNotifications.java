package dev.sysdesign.session.system;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.sysdesign.redis.RedisListenerStarter;

/**
 * Spring Session's Redis events (keyspace notifications, which keep the per-account index
 * of sessions clean), set up without making Redis a start-up requirement: Spring
 * Session's listener container would fail the start when Redis is down, so it is started
 * in the background ({@link RedisListenerStarter}), retried until Redis answers. Once
 * connected, Redis is asked for the {@code notify-keyspace-events Egx} it needs — best
 * effort, since managed Redis services forbid {@code CONFIG} (set it in their parameter
 * group instead).
 * <p>
 * The connection factory is looked up only when the listeners connect: a bean post
 * processor that pulled it in at creation would create the observation registry before it
 * is configured, and the service would record no HTTP metrics or spans.
 */
class KeyspaceNotifications implements SmartLifecycle, BeanPostProcessor {

	static final String CONTAINER = "springSessionRedisMessageListenerContainer";

	private static final Logger log = LoggerFactory.getLogger(KeyspaceNotifications.class);

	private static final Duration RETRY = Duration.ofSeconds(5);

	private final ObjectProvider<RedisConnectionFactory> redis;

	private volatile @Nullable RedisListenerStarter starter;

	KeyspaceNotifications(ObjectProvider<RedisConnectionFactory> redis) {
		this.redis = redis;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof RedisMessageListenerContainer listeners && CONTAINER.equals(beanName)) {
			this.starter = new RedisListenerStarter("Redis session events", listeners, RETRY,
					this::enableKeyspaceEvents);
		}
		return bean;
	}

	@Override
	public void start() {
		RedisListenerStarter current = this.starter;
		if (current != null) {
			current.start();
		}
	}

	private void enableKeyspaceEvents() {
		try (RedisConnection connection = this.redis.getObject().getConnection()) {
			String current = connection.serverCommands()
				.getConfig("notify-keyspace-events")
				.getProperty("notify-keyspace-events", "");
			if (!(current.contains("E") && current.contains("g") && (current.contains("x") || current.contains("A")))) {
				try {
					connection.serverCommands().setConfig("notify-keyspace-events", "Egx" + current.replace("E", ""));
				}
				catch (RuntimeException ex) {
					log.warn("Could not enable Redis keyspace events (expired sessions stay in the per-account "
							+ "index until logout-all): {}", ex.getMessage());
				}
			}
		}
	}

	@Override
	public void stop() {
		RedisListenerStarter current = this.starter;
		if (current != null) {
			current.stop();
		}
	}

	@Override
	public boolean isRunning() {
		RedisListenerStarter current = this.starter;
		return current != null && current.isRunning();
	}

}
