package dev.sysdesign.session.login;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.sysdesign.session.SessionsProperties;

/**
 * Counts login attempts per canonical username and per client address in Redis, so that
 * every instance shares them. An attempt is counted before its password is checked, in
 * the same script that checks the lock-out: of any burst, however parallel, at most the
 * limit reaches the password check. A successful login takes its attempt back (and clears
 * the username's count). A key's count lives for one window from its first attempt; while
 * it is at the limit, logins are refused (even with the right password) until the window
 * ends.
 */
@Component
class LoginThrottle {

	/**
	 * Refuses while either key is at its limit (answering the time left), otherwise
	 * counts the attempt on both, starting a key's window on its first attempt.
	 */
	private static final RedisScript<List> ATTEMPT = RedisScript.of("""
			for i = 1, 2 do
			  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
			  if count >= tonumber(ARGV[i]) then
			    return {1, redis.call('PTTL', KEYS[i])}
			  end
			end
			for i = 1, 2 do
			  if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
			end
			return {0, 0}
			""", List.class);

	/**
	 * A successful login: the username starts afresh, the address gets its attempt back.
	 */
	private static final RedisScript<Long> SUCCEEDED = RedisScript.of("""
			redis.call('DEL', KEYS[1])
			if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
			return 1
			""", Long.class);

	private final StringRedisTemplate redis;

	private final SessionsProperties.Login limits;

	LoginThrottle(StringRedisTemplate redis, SessionsProperties properties) {
		this.redis = redis;
		this.limits = properties.login();
	}

	/**
	 * Counts a login attempt, or refuses it during a lock-out of its username or client
	 * address.
	 * @param username the canonical username tried
	 * @param address the client's address
	 * @throws TooManyLoginAttemptsException during a lock-out
	 */
	void attempt(String username, String address) {
		List<?> result = this.redis.execute(ATTEMPT, List.of(userKey(username), addressKey(address)),
				Integer.toString(this.limits.maxFailuresPerUsername()),
				Integer.toString(this.limits.maxFailuresPerAddress()), Long.toString(this.limits.window().toMillis()));
		if (result != null && ((Number) result.get(0)).longValue() == 1) {
			long millis = ((Number) result.get(1)).longValue();
			long seconds = (millis < 0) ? this.limits.window().toSeconds() : Math.max(1, (millis + 999) / 1000);
			throw new TooManyLoginAttemptsException(Duration.ofSeconds(seconds));
		}
	}

	/**
	 * Takes back the attempt of a successful login.
	 * @param username the canonical username
	 * @param address the client's address
	 */
	void succeeded(String username, String address) {
		this.redis.execute(SUCCEEDED, List.of(userKey(username), addressKey(address)));
	}

	private static String userKey(String username) {
		return "login:failures:user:" + username;
	}

	private static String addressKey(String address) {
		return "login:failures:address:" + address;
	}

}
