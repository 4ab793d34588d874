package dev.sysdesign.session.login;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.sysdesign.session.account.Account;
import dev.sysdesign.session.account.Accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;

/**
 * A login is throttled and checked under the canonical username, so that no spelling of a
 * name gets a failure budget of its own, and the throttle is asked first.
 */
class LoginTests {

	final Accounts accounts = mock(Accounts.class);

	final LoginThrottle throttle = mock(LoginThrottle.class);

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final Login login = new Login(this.accounts, this.throttle, this.meters);

	final Account alice = new Account(7, "alice", "hash", List.of("USER"), Instant.EPOCH);

	@Test
	void everySpellingOfANameIsThrottledAndCheckedAsOne() {
		given(this.accounts.authenticate("alice", "secret-password")).willReturn(Optional.of(this.alice));
		for (String typed : List.of("alice", "Alice", "  ALICE ", "\talice\n")) {
			assertThat(this.login.authenticate(typed, "secret-password", "203.0.113.7")).isEqualTo(this.alice);
		}
		then(this.throttle).should(org.mockito.Mockito.times(4)).attempt("alice", "203.0.113.7");
		then(this.throttle).should(org.mockito.Mockito.times(4)).succeeded("alice", "203.0.113.7");
	}

	@Test
	void aWrongPasswordIsBadCredentialsAndKeepsItsAttemptCounted() {
		given(this.accounts.authenticate("alice", "wrong")).willReturn(Optional.empty());
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> this.login.authenticate("Alice", "wrong", "203.0.113.7"));
		then(this.throttle).should().attempt("alice", "203.0.113.7");
		then(this.throttle).shouldHaveNoMoreInteractions();
		assertThat(this.meters.get("sessions.logins").tag("outcome", "failed").counter().count()).isOne();
	}

	@Test
	void aLockedOutNameIsRefusedBeforeItsPasswordIsChecked() {
		willThrow(LoginProblems.lockedOutFor(Duration.ofSeconds(30))).given(this.throttle)
			.attempt("alice", "203.0.113.7");
		assertThatExceptionOfType(TooManyLoginAttemptsException.class)
			.isThrownBy(() -> this.login.authenticate("ALICE", "secret-password", "203.0.113.7"));
		then(this.accounts).should(org.mockito.Mockito.never()).authenticate(anyString(), anyString());
		assertThat(this.meters.get("sessions.logins").tag("outcome", "throttled").counter().count()).isOne();
	}

}
