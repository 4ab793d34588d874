package dev.sysdesign.session.system;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.SortedSetRedisSessionExpirationStore;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;
import org.springframework.session.web.http.HttpSessionIdResolver;

import dev.sysdesign.redis.session.SessionFormat;
import dev.sysdesign.redis.session.SessionJsonRedisSerializer;
import dev.sysdesign.redis.session.SessionLifetime;
import dev.sysdesign.session.SessionsProperties;
import dev.sysdesign.support.scheduling.BackgroundRefresh;

/**
 * Spring Session in Redis, in the format every gateway instance reads
 * ({@link SessionFormat}): the indexed repository (so every session of an account can be
 * ended) with the sorted-set expiration store that the gateway's reactive repository uses
 * too, plain JSON values, the id in the {@code SESSION} cookie (not Base64-encoded,
 * HttpOnly, SameSite=Lax) and in {@code X-Auth-Token}.
 */
@Configuration(proxyBeanMethods = false)
class SessionConfiguration {

	@Bean
	RedisSerializer<Object> springSessionDefaultRedisSerializer() {
		return new SessionJsonRedisSerializer();
	}

	@Bean
	SessionRepositoryCustomizer<RedisIndexedSessionRepository> sortedSetSessionExpirations() {
		return (repository) -> repository.setExpirationStore(new SortedSetRedisSessionExpirationStore(
				repository.getSessionRedisOperations(), SessionFormat.NAMESPACE));
	}

	@Bean
	CookieSerializer cookieSerializer(SessionsProperties properties) {
		DefaultCookieSerializer cookies = new DefaultCookieSerializer();
		cookies.setCookieName(SessionFormat.COOKIE);
		cookies.setUseBase64Encoding(false);
		cookies.setUseHttpOnlyCookie(true);
		cookies.setSameSite("Lax");
		cookies.setCookiePath("/");
		cookies.setUseSecureCookie(properties.cookieSecure());
		return cookies;
	}

	@Bean
	HttpSessionIdResolver httpSessionIdResolver(CookieSerializer cookieSerializer) {
		return new TokenOrCookieSessionIdResolver(cookieSerializer);
	}

	@Bean
	static KeyspaceNotifications keyspaceNotifications(ObjectProvider<RedisConnectionFactory> redis) {
		return new KeyspaceNotifications(redis);
	}

	@Bean
	ActiveSessions activeSessions(StringRedisTemplate redis, MeterRegistry meters) {
		return new ActiveSessions(redis, SessionFormat.NAMESPACE, meters);
	}

	@Bean
	BackgroundRefresh activeSessionsRefresh(ActiveSessions sessions) {
		return new BackgroundRefresh("active-sessions", Duration.ofSeconds(15), sessions::refresh);
	}

	@Bean
	SessionLifetime sessionLifetime(SessionsProperties properties) {
		return new SessionLifetime(properties.absoluteLifetime());
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
