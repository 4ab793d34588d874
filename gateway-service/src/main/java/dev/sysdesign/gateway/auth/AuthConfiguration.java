package dev.sysdesign.gateway.auth;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.data.redis.ReactiveRedisIndexedSessionRepository;

import dev.sysdesign.redis.session.SessionFormat;
import dev.sysdesign.redis.session.SessionJsonRedisSerializer;
import dev.sysdesign.redis.session.SessionLifetime;

/**
 * The gateway's view of the sessions in Redis. The repository is built here and kept out
 * of the context on purpose: the gateway only reads and refreshes sessions, so it neither
 * subscribes to keyspace events nor runs Spring Session's expiry clean-up.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
class AuthConfiguration {

	@Bean
	GatewaySessions gatewaySessions(ReactiveRedisConnectionFactory redis, AuthProperties properties) {
		RedisSerializer<Object> values = new SessionJsonRedisSerializer();
		RedisSerializationContext<String, Object> context = RedisSerializationContext
			.<String, Object>newSerializationContext(StringRedisSerializer.UTF_8)
			.key(StringRedisSerializer.UTF_8)
			.hashKey(StringRedisSerializer.UTF_8)
			.value(values)
			.hashValue(values)
			.build();
		ReactiveRedisIndexedSessionRepository repository = new ReactiveRedisIndexedSessionRepository(
				new ReactiveRedisTemplate<>(redis, context), new ReactiveStringRedisTemplate(redis));
		repository.setRedisKeyNamespace(SessionFormat.NAMESPACE);
		return new GatewaySessions(repository, new ReactiveStringRedisTemplate(redis),
				new SessionLifetime(properties.absoluteLifetime()), properties.touchInterval(), Clock.systemUTC());
	}

}
