package dev.sysdesign.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import reactor.core.publisher.Mono;

import org.springframework.session.data.redis.ReactiveRedisIndexedSessionRepository;

import dev.sysdesign.redis.session.SessionFormat;
import dev.sysdesign.redis.session.SessionLifetime;

/**
 * The sessions session-service writes, read by the gateway straight from Redis (no HTTP
 * call per request) with Spring Session's reactive indexed repository: a session past its
 * idle timeout is not found, one past its absolute lifetime is deleted, and a valid one
 * has its last-access time refreshed (at most once per {@code touch-interval}).
 */
public class GatewaySessions {

	private final ReactiveRedisIndexedSessionRepository repository;

	private final SessionLifetime lifetime;

	private final Duration touchInterval;

	private final Clock clock;

	GatewaySessions(ReactiveRedisIndexedSessionRepository repository, SessionLifetime lifetime, Duration touchInterval,
			Clock clock) {
		this.repository = repository;
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
			if (touch) {
				session.setLastAccessedTime(now);
			}
			Identity identity = new Identity(userId.toString(), (username != null) ? username.toString() : "",
					SessionFormat.roles((roles != null) ? roles.toString() : null), session.getId(),
					this.lifetime.expiresAt(session.getCreationTime(), session.getLastAccessedTime(),
							session.getMaxInactiveInterval()));
			return touch ? this.repository.save(session).thenReturn(identity) : Mono.just(identity);
		});
	}

}
