package dev.sysdesign.session.login;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.sysdesign.session.SessionsProperties;

/**
 * Counts failed logins per username and per client address in Redis, so that every
 * instance shares them. A key's count lives for one window from its first failure; while
 * it is at the limit, logins are refused (even with the right password) until the window
 * ends.
 */
@Component
class LoginThrottle {

	/** INCR, starting the window's expiry on the first failure. */
	private static final RedisScript<Long> FAIL = RedisScript.of("""
			local failures = redis.call('INCR', KEYS[1])
			if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
			return failures
			""", Long.class);

	private final StringRedisTemplate redis;

	private final SessionsProperties.Login limits;

	LoginThrottle(StringRedisTemplate redis, SessionsProperties properties) {
		this.redis = redis;
		this.limits = properties.login();
	}

	/**
	 * Refuses a login while its username or client address is locked out.
	 * @param username the username tried
	 * @param address the client's address
	 * @throws TooManyLoginAttemptsException during a lock-out
	 */
	void check(String username, String address) {
		List<String> counts = this.redis.opsForValue().multiGet(List.of(userKey(username), addressKey(address)));
		if (counts != null) {
			lockedOut(userKey(username), counts.get(0), this.limits.maxFailuresPerUsername());
			lockedOut(addressKey(address), counts.get(1), this.limits.maxFailuresPerAddress());
		}
	}

	private void lockedOut(String key, String count, int limit) {
		if (count != null && Long.parseLong(count) >= limit) {
			Long millis = this.redis.getExpire(key, java.util.concurrent.TimeUnit.MILLISECONDS);
			long seconds = (millis == null || millis < 0) ? this.limits.window().toSeconds()
					: Math.max(1, (millis + 999) / 1000);
			throw new TooManyLoginAttemptsException(Duration.ofSeconds(seconds));
		}
	}

	void recordFailure(String username, String address) {
		String window = Long.toString(this.limits.window().toMillis());
		this.redis.execute(FAIL, List.of(userKey(username)), window);
		this.redis.execute(FAIL, List.of(addressKey(address)), window);
	}

	void recordSuccess(String username) {
		this.redis.delete(userKey(username));
	}

	private static String userKey(String username) {
		return "login:failures:user:" + username;
	}

	private static String addressKey(String address) {
		return "login:failures:address:" + address;
	}

}
