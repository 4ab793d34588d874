package dev.sysdesign.orders.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

import dev.sysdesign.redis.RedisListenerStarter;
import dev.sysdesign.redis.session.SessionReference;

/**
 * {@code WS /ws/orders}: the handler, its handshake check, the registry of connections,
 * and the subscription to ended sessions ({@value SessionReference#ENDED_CHANNEL} in
 * Redis), which closes their connections. The subscription is not a start-up requirement:
 * without Redis the service starts, and it subscribes as soon as Redis answers (retried
 * every 2 s).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableConfigurationProperties(LiveProperties.class)
class LiveConfiguration {

	/** The pause between two attempts to subscribe to ended sessions. */
	static final Duration RETRY = Duration.ofSeconds(2);

	@Bean
	WebSocketConfigurer orderStatusEndpoint(OrderStatusSocket socket, IdentityHandshake handshake) {
		// the gateway checks the Origin of cookie-authenticated handshakes; behind it the
		// Origin names the browser's page, never this instance
		return (registry) -> registry.addHandler(socket, "/ws/orders")
			.addInterceptors(handshake)
			.setAllowedOriginPatterns("*");
	}

	@Bean
	LiveConnections liveConnections(LiveProperties properties, MeterRegistry meters,
			ObjectProvider<ObservationRegistry> observations) {
		return new LiveConnections(properties, meters, observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Bean
	OrderStatusSocket orderStatusSocket(LiveConnections connections, JsonMapper json, LiveProperties properties) {
		return new OrderStatusSocket(connections, json, properties);
	}

	@Bean
	IdentityHandshake identityHandshake(LiveConnections connections, JsonMapper json,
			@Value("${spring.application.name}") String service) {
		return new IdentityHandshake(connections, json, service);
	}

	@Bean
	RedisMessageListenerContainer endedSessionsSubscription(RedisConnectionFactory redis, LiveConnections connections) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(redis);
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("live-ended-");
		executor.setVirtualThreads(true);
		container.setTaskExecutor(executor);
		container.setRecoveryBackoff(new FixedBackOff(RETRY.toMillis()));
		container.addMessageListener(
				(message, pattern) -> connections.sessionEnded(new String(message.getBody(), StandardCharsets.UTF_8)),
				ChannelTopic.of(SessionReference.ENDED_CHANNEL));
		return container;
	}

	@Bean
	RedisListenerStarter endedSessionsSubscriptionStarter(RedisMessageListenerContainer endedSessionsSubscription) {
		return new RedisListenerStarter("ended sessions (" + SessionReference.ENDED_CHANNEL + ")",
				endedSessionsSubscription, RETRY, () -> {
				});
	}

}
