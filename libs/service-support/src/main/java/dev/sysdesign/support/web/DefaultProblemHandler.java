package dev.sysdesign.support.web;

import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The problem handler of a service that has no errors of its own beyond what
 * {@link PlatformProblemHandler} and the features' own problems
 * ({@link dev.sysdesign.support.problem.ProblemException}) cover. A service with generic
 * cases of its own (an unreachable dependency only it has) declares a subclass of
 * {@link PlatformProblemHandler} instead.
 */
@RestControllerAdvice
public class DefaultProblemHandler extends PlatformProblemHandler {

	public DefaultProblemHandler(String service) {
		super(service);
	}

}
