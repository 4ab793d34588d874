package dev.sysdesign.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.session.data.redis.ReactiveRedisIndexedSessionRepository;

import dev.sysdesign.redis.session.SessionFormat;
import dev.sysdesign.redis.session.SessionLifetime;

/**
 * The sessions session-service writes, read by the gateway straight from Redis (no HTTP
 * call per request) with Spring Session's reactive indexed repository: a session past its
 * idle timeout is not found, one past its absolute lifetime is deleted, and a valid one
 * has its last-access time refreshed (at most once per {@code touch-interval}).
 * <p>
 * The refresh is one conditional script, not the repository's {@code save}: a session
 * that session-service deleted between the gateway's read and its write must stay deleted
 * (a {@code save} recreated a hash holding only {@code lastAccessedTime}, which no lookup
 * could read), and the gateway writes no index keys (a {@code save} wrote principal
 * indexes that nothing expired).
 */
public class GatewaySessions {

	/**
	 * Refreshes a session only while it is alive — its hash and its {@code expires} key
	 * exist (session-service's delete removes the {@code expires} key and leaves the
	 * hash, marked expired, for a few minutes) — as Spring Session's indexed layout does
	 * on a save: the last access, the hash's expiry (idle timeout + 5 min), the
	 * {@code expires} key whose expiry event ends the session, and its score in the
	 * expirations set.
	 */
	private static final RedisScript<Long> REFRESH = RedisScript.of("""
			if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
			redis.call('HSET', KEYS[1], 'lastAccessedTime', ARGV[1])
			redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 300000)
			redis.call('SET', KEYS[2], '', 'PX', ARGV[2])
			redis.call('ZADD', KEYS[3], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
			return 1
			""", Long.class);

	private final ReactiveRedisIndexedSessionRepository repository;

	private final ReactiveStringRedisTemplate redis;

	private final SessionLifetime lifetime;

	private final Duration touchInterval;

	private final Clock clock;

	GatewaySessions(ReactiveRedisIndexedSessionRepository repository, ReactiveStringRedisTemplate redis,
			SessionLifetime lifetime, Duration touchInterval, Clock clock) {
		this.repository = repository;
		this.redis = redis;
		this.lifetime = lifetime;
		this.touchInterval = touchInterval;
		this.clock = clock;
	}

	/**
	 * Finds the identity a session id stands for.
	 * @param sessionId the id the client sent
	 * @return the identity; empty when the session is unknown, expired or not a login
	 * session; an error when Redis cannot be reached
	 */
	public Mono<Identity> authenticate(String sessionId) {
		return this.repository.findById(sessionId).flatMap((session) -> {
			Instant now = this.clock.instant();
			if (this.lifetime.pastAbsoluteLifetime(session.getCreationTime(), now)) {
				return this.repository.deleteById(session.getId()).then(Mono.empty());
			}
			Object userId = session.getAttribute(SessionFormat.USER_ID);
			if (userId == null) {
				return Mono.empty();
			}
			Object username = session.getAttribute(SessionFormat.USERNAME);
			Object roles = session.getAttribute(SessionFormat.ROLES);
			boolean touch = Duration.between(session.getLastAccessedTime(), now).compareTo(this.touchInterval) >= 0;
			Instant lastAccessed = touch ? now : session.getLastAccessedTime();
			Identity identity = new Identity(userId.toString(), (username != null) ? username.toString() : "",
					SessionFormat.roles((roles != null) ? roles.toString() : null), session.getId(),
					this.lifetime.expiresAt(session.getCreationTime(), lastAccessed, session.getMaxInactiveInterval()));
			if (!touch) {
				return Mono.just(identity);
			}
			return refresh(session.getId(), now, session.getMaxInactiveInterval())
				.flatMap((refreshed) -> refreshed ? Mono.just(identity) : Mono.empty());
		});
	}

	/**
	 * Refreshes a session's last access, unless it no longer exists.
	 * @param sessionId the session
	 * @param now the access time
	 * @param maxInactive its idle timeout
	 * @return whether the session still existed (and was refreshed)
	 */
	Mono<Boolean> refresh(String sessionId, Instant now, Duration maxInactive) {
		String prefix = SessionFormat.NAMESPACE + ":sessions:";
		return this.redis
			.execute(REFRESH, List.of(prefix + sessionId, prefix + "expires:" + sessionId, prefix + "expirations"),
					List.of(Long.toString(now.toEpochMilli()), Long.toString(maxInactive.toMillis()), sessionId))
			.next()
			.map((result) -> result == 1L)
			.defaultIfEmpty(false);
	}

}
