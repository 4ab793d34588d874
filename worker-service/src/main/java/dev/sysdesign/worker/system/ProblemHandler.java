package dev.sysdesign.worker.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.sysdesign.messaging.ConfirmedPublisher;
import dev.sysdesign.support.web.PlatformProblemHandler;
import dev.sysdesign.support.web.ProblemTypes;
import dev.sysdesign.worker.deadletters.DeadLetterNotFoundException;
import dev.sysdesign.worker.deadletters.DeadLetterReplayedException;
import dev.sysdesign.worker.reports.ReportNotGeneratedException;

/**
 * Maps every error of the worker-service to an RFC 9457 problem: framework errors through
 * {@link PlatformProblemHandler}, domain errors here.
 */
@RestControllerAdvice
class ProblemHandler extends PlatformProblemHandler {

	ProblemHandler(@Value("${spring.application.name}") String service) {
		super(service);
	}

	@ExceptionHandler(ReportNotGeneratedException.class)
	ResponseEntity<Object> reportNotGenerated(ReportNotGeneratedException ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, ProblemTypes.of("report-not-generated"),
				"Report not generated", "The report of " + ex.date() + " has not been generated yet.");
		problem.setProperty("date", ex.date().toString());
		return respond(problem);
	}

	@ExceptionHandler(DeadLetterNotFoundException.class)
	ResponseEntity<Object> deadLetterNotFound(DeadLetterNotFoundException ex) {
		return respond(problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found",
				"There is no dead letter " + ex.id() + "."));
	}

	@ExceptionHandler(DeadLetterReplayedException.class)
	ResponseEntity<Object> deadLetterReplayed(DeadLetterReplayedException ex) {
		return respond(problem(HttpStatus.CONFLICT, ProblemTypes.of("dead-letter-replayed"),
				"Dead letter not replayable", "Dead letter " + ex.id() + " cannot be replayed: " + ex.why() + "."));
	}

	@ExceptionHandler(ConfirmedPublisher.PublicationFailedException.class)
	ResponseEntity<Object> brokerUnavailable(ConfirmedPublisher.PublicationFailedException ex) {
		return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Broker unavailable",
				"RabbitMQ did not take the message; nothing was changed. Retry shortly."), retryAfter(5));
	}

}
