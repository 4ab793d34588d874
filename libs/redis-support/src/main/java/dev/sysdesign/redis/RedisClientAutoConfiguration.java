package dev.sysdesign.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis client behaviour for a service (servlet or reactive) that must keep serving while
 * Redis is away: commands fail at once while disconnected instead of queueing until a
 * timeout, connection attempts are bounded (commands by
 * {@code spring.data.redis.timeout}), and reconnection is retried every few hundred
 * milliseconds up to every 2 s (Lettuce's default backs off to 30 s, which makes recovery
 * slow). A command issued outside any traced operation (a connection's handshake, a
 * subscription, a background job) starts no trace of its own: each would otherwise be a
 * trace of one span in the trace viewer.
 */
@AutoConfiguration
@ConditionalOnClass({ ClientOptions.class, LettuceClientOptionsBuilderCustomizer.class })
public class RedisClientAutoConfiguration {

	static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

	@Bean
	LettuceClientOptionsBuilderCustomizer failFastRedisClientOptions() {
		return (builder) -> builder.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build());
	}

	@Bean
	ClientResourcesBuilderCustomizer quickRedisReconnect() {
		return (builder) -> builder
			.reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationPredicate.class)
	static class RedisObservations {

		@Bean
		ObservationPredicate redisCommandsOnlyWithinTraces() {
			return (name, context) -> !"lettuce".equals(name) || context.getParentObservation() != null;
		}

	}

}
