package dev.sysdesign.worker.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.sysdesign.messaging.ConfirmedPublisher;
import dev.sysdesign.support.web.PlatformProblemHandler;
import dev.sysdesign.contracts.problems.ProblemTypes;

/**
 * Maps every error of the worker-service to an RFC 9457 problem: framework errors and the
 * features' own problems through {@link PlatformProblemHandler}; here only RabbitMQ not
 * taking a message an admin endpoint publishes (a dead letter's replay).
 */
@RestControllerAdvice
class ProblemHandler extends PlatformProblemHandler {

	ProblemHandler(@Value("${spring.application.name}") String service) {
		super(service);
	}

	@ExceptionHandler(ConfirmedPublisher.PublicationFailedException.class)
	ResponseEntity<Object> brokerUnavailable(ConfirmedPublisher.PublicationFailedException ex) {
		return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Broker unavailable",
				"RabbitMQ did not take the message; nothing was changed. Retry shortly."), retryAfter(5));
	}

}
