package dev.sysdesign.order.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.sysdesign.support.web.PlatformProblemHandler;

/**
 * Maps every error of the order-service to an RFC 9457 problem: framework errors through
 * {@link PlatformProblemHandler}, domain errors here.
 */
@RestControllerAdvice
class ProblemHandler extends PlatformProblemHandler {

	ProblemHandler(@Value("${spring.application.name}") String service) {
		super(service);
	}

}
