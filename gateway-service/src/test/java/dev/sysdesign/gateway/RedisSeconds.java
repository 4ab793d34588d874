package dev.sysdesign.gateway;

import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Redis's own clock in whole seconds: the rate limiter's token bucket (Spring Cloud
 * Gateway's script) refills by {@code rate} tokens at each of its second boundaries, so a
 * test bounds what a run of requests may be allowed by the seconds Redis saw pass — never
 * by hoping the run fits into one second.
 */
final class RedisSeconds {

	private final RedisConnectionFactory redis;

	RedisSeconds(RedisConnectionFactory redis) {
		this.redis = redis;
	}

	long now() {
		try (RedisConnection connection = this.redis.getConnection()) {
			return connection.serverCommands().time(TimeUnit.SECONDS);
		}
	}

	/**
	 * The most requests a bucket allows between two readings.
	 * @param start the reading before the first request
	 * @param burst the bucket's capacity (full at the start)
	 * @param rate its tokens per second
	 * @return the capacity plus a refill per second boundary passed since {@code start}
	 */
	long budgetSince(long start, int burst, int rate) {
		return burst + (now() - start) * rate;
	}

}
