package dev.sysdesign.gateway;

import java.time.Duration;
import java.time.Instant;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.SortedSetRedisSessionExpirationStore;

import dev.sysdesign.redis.session.SessionFormat;
import dev.sysdesign.redis.session.SessionJsonRedisSerializer;

/**
 * Writes sessions to Redis exactly as session-service does (Spring Session's indexed
 * repository, the sorted-set expiration store, plain JSON values), so that the gateway's
 * tests authenticate against real sessions.
 */
public final class TestSessions {

	private final RedisTemplate<String, Object> redis = new RedisTemplate<>();

	private final RedisIndexedSessionRepository repository;

	public TestSessions(RedisConnectionFactory connectionFactory) {
		this.redis.setConnectionFactory(connectionFactory);
		this.redis.setKeySerializer(StringRedisSerializer.UTF_8);
		this.redis.setHashKeySerializer(StringRedisSerializer.UTF_8);
		this.redis.setValueSerializer(new SessionJsonRedisSerializer());
		this.redis.setHashValueSerializer(new SessionJsonRedisSerializer());
		this.redis.afterPropertiesSet();
		this.repository = new RedisIndexedSessionRepository(this.redis);
		this.repository.setRedisKeyNamespace(SessionFormat.NAMESPACE);
		this.repository
			.setExpirationStore(new SortedSetRedisSessionExpirationStore(this.redis, SessionFormat.NAMESPACE));
		this.repository.setDefaultMaxInactiveInterval(Duration.ofMinutes(30));
	}

	public String login(long userId, String roles) {
		RedisIndexedSessionRepository.RedisSession session = this.repository.createSession();
		session.setAttribute(SessionFormat.USER_ID, Long.toString(userId));
		session.setAttribute(SessionFormat.USERNAME, "user" + userId);
		session.setAttribute(SessionFormat.ROLES, roles);
		session.setAttribute(SessionFormat.PRINCIPAL, Long.toString(userId));
		this.repository.save(session);
		return session.getId();
	}

	public void lastAccessed(String sessionId, Instant when) {
		this.redis.opsForHash().put(key(sessionId), "lastAccessedTime", when.toEpochMilli());
	}

	public void created(String sessionId, Instant when) {
		this.redis.opsForHash().put(key(sessionId), "creationTime", when.toEpochMilli());
	}

	public Instant lastAccessed(String sessionId) {
		Object millis = this.redis.opsForHash().get(key(sessionId), "lastAccessedTime");
		return Instant.ofEpochMilli(((Number) millis).longValue());
	}

	public boolean exists(String sessionId) {
		return Boolean.TRUE.equals(this.redis.hasKey(key(sessionId)));
	}

	public void delete(String sessionId) {
		this.repository.deleteById(sessionId);
	}

	private static String key(String sessionId) {
		return SessionFormat.NAMESPACE + ":sessions:" + sessionId;
	}

}
