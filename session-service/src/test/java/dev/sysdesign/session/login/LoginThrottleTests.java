package dev.sysdesign.session.login;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.sysdesign.session.SessionsProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * The throttle's side in Java: which keys and limits it hands to Redis and how it reads
 * the answer. The counting itself (N failures lock out until the window ends, a success
 * takes its attempt back) is a Lua script that runs in Redis;
 * {@code LoginIntegrationTests} proves it against a real Redis.
 */
class LoginThrottleTests {

	final StringRedisTemplate redis = mock(StringRedisTemplate.class);

	final LoginThrottle throttle = new LoginThrottle(this.redis, new SessionsProperties(Duration.ofHours(12), false,
			new SessionsProperties.Login(5, 20, Duration.ofMinutes(15)), null, null));

	@Test
	void countsAnAttemptPerUsernameAndPerAddressWithTheirLimitsAndTheWindow() {
		answer(List.of(0L, 0L));
		assertThatNoException().isThrownBy(() -> this.throttle.attempt("alice", "203.0.113.7"));
		then(this.redis).should()
			.execute(any(RedisScript.class),
					eq(List.of("login:failures:user:alice", "login:failures:address:203.0.113.7")), eq("5"), eq("20"),
					eq("900000"));
	}

	@Test
	void aLockOutIsRefusedWithTheTimeLeftRoundedUp() {
		answer(List.of(1L, 61_001L));
		TooManyLoginAttemptsException ex = catchThrowableOfType(TooManyLoginAttemptsException.class,
				() -> this.throttle.attempt("alice", "203.0.113.7"));
		assertThat(ex.status()).isEqualTo(429);
		assertThat(ex.retryAfter()).contains(Duration.ofSeconds(62));
	}

	@Test
	void aLockOutEndingWithinASecondStillAsksForOne() {
		answer(List.of(1L, 5L));
		assertThat(catchThrowableOfType(TooManyLoginAttemptsException.class,
				() -> this.throttle.attempt("alice", "203.0.113.7"))
			.retryAfter()).contains(Duration.ofSeconds(1));
	}

	@Test
	void aLockOutWithoutExpiryAsksForTheWholeWindow() {
		answer(List.of(1L, -1L));
		assertThat(catchThrowableOfType(TooManyLoginAttemptsException.class,
				() -> this.throttle.attempt("alice", "203.0.113.7"))
			.retryAfter()).contains(Duration.ofMinutes(15));
	}

	@Test
	void aSuccessClearsTheUsernameAndGivesTheAddressItsAttemptBack() {
		this.throttle.succeeded("alice", "203.0.113.7");
		then(this.redis).should()
			.execute(any(RedisScript.class),
					eq(List.of("login:failures:user:alice", "login:failures:address:203.0.113.7")));
	}

	@SuppressWarnings("unchecked")
	private void answer(List<Long> result) {
		given(this.redis.execute(any(RedisScript.class), anyList(), anyString(), anyString(), anyString()))
			.willReturn(result);
	}

}
