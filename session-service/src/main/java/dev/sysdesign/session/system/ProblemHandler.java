package dev.sysdesign.session.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.sysdesign.support.web.PlatformProblemHandler;
import dev.sysdesign.contracts.problems.ProblemTypes;

/**
 * Maps every error of the session-service to an RFC 9457 problem: framework errors and
 * the features' own problems through {@link PlatformProblemHandler}; here only Redis
 * (sessions) being unreachable, which only this service cannot do without.
 */
@RestControllerAdvice
class ProblemHandler extends PlatformProblemHandler {

	ProblemHandler(@Value("${spring.application.name}") String service) {
		super(service);
	}

	@ExceptionHandler({ RedisConnectionFailureException.class, RedisSystemException.class })
	ResponseEntity<Object> redisUnavailable(RuntimeException ex) {
		return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Service unavailable",
				"Sessions are unavailable right now; retry shortly."), retryAfter(2));
	}

}
