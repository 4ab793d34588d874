package dev.sysdesign.session.login;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.sysdesign.redis.session.SessionReference;

/**
 * Announces ended sessions on the Redis channel {@value SessionReference#ENDED_CHANNEL}
 * (their {@link SessionReference opaque references}, never their ids), so that every
 * service instance holding a WebSocket of such a session closes it at once.
 * <p>
 * Called after the session is deleted, so that a client reconnecting as soon as its
 * socket closes is refused. Best effort: a failure is logged, not thrown, since the
 * session has ended anyway and the sockets end by themselves when the lifetime they were
 * given runs out.
 */
@Component
public class EndedSessions {

	private static final Logger log = LoggerFactory.getLogger(EndedSessions.class);

	private final StringRedisTemplate redis;

	EndedSessions(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Announces that a session has ended.
	 * @param sessionId the session, already deleted
	 */
	public void ended(String sessionId) {
		try {
			this.redis.convertAndSend(SessionReference.ENDED_CHANNEL, SessionReference.of(sessionId));
		}
		catch (RuntimeException ex) {
			log.warn("Could not announce the end of a session (its sockets close when their lifetime runs out): {}",
					ex.toString());
		}
	}

}
