package dev.sysdesign.session.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.sysdesign.session.account.PasswordHashingBusyException;
import dev.sysdesign.session.account.UsernameTakenException;
import dev.sysdesign.session.login.BadCredentialsException;
import dev.sysdesign.session.login.TooManyLoginAttemptsException;
import dev.sysdesign.support.web.PlatformProblemHandler;
import dev.sysdesign.support.web.ProblemTypes;

/**
 * Maps every error of the session-service to an RFC 9457 problem: framework errors
 * through {@link PlatformProblemHandler}, domain errors here.
 */
@RestControllerAdvice
class ProblemHandler extends PlatformProblemHandler {

	ProblemHandler(@Value("${spring.application.name}") String service) {
		super(service);
	}

	@ExceptionHandler(UsernameTakenException.class)
	ResponseEntity<Object> usernameTaken(UsernameTakenException ex) {
		return respond(problem(HttpStatus.CONFLICT, ProblemTypes.of("username-taken"), "Username taken",
				"Another account has this username."));
	}

	@ExceptionHandler(BadCredentialsException.class)
	ResponseEntity<Object> badCredentials(BadCredentialsException ex) {
		return respond(problem(HttpStatus.UNAUTHORIZED, ProblemTypes.of("bad-credentials"), "Login failed",
				"Wrong username or password."));
	}

	@ExceptionHandler(TooManyLoginAttemptsException.class)
	ResponseEntity<Object> tooManyAttempts(TooManyLoginAttemptsException ex) {
		return respond(
				problem(HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.of("too-many-login-attempts"), "Too many attempts",
						"Too many failed logins; retry in " + ex.retryAfter().toSeconds() + " s."),
				retryAfter(ex.retryAfter().toSeconds()));
	}

	@ExceptionHandler(PasswordHashingBusyException.class)
	ResponseEntity<Object> hashingBusy(PasswordHashingBusyException ex) {
		return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Service unavailable",
				"Too many logins are being checked right now; retry shortly."), retryAfter(1));
	}

	@ExceptionHandler({ RedisConnectionFailureException.class, RedisSystemException.class })
	ResponseEntity<Object> redisUnavailable(RuntimeException ex) {
		return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Service unavailable",
				"Sessions are unavailable right now; retry shortly."), retryAfter(2));
	}

}
