package dev.sysdesign.support.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis client behaviour for a service that must keep serving when Redis is away:
 * commands fail at once while disconnected (instead of queueing until a timeout),
 * connection attempts and commands are bounded, and reconnection is retried every few
 * hundred milliseconds up to every 2 s (Lettuce's default backs off to 30 s, which makes
 * recovery slow).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ ClientOptions.class, LettuceClientOptionsBuilderCustomizer.class })
public class RedisClientConfiguration {

	static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

	@Bean
	LettuceClientOptionsBuilderCustomizer failFastRedisClientOptions() {
		return (builder) -> builder.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
			.timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT));
	}

	@Bean
	ClientResourcesBuilderCustomizer quickRedisReconnect() {
		return (builder) -> builder
			.reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS));
	}

}
