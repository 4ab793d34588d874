package dev.sysdesign.support.web;

import dev.sysdesign.support.problem.ProblemException;
import dev.sysdesign.contracts.problems.ProblemTypes;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Base of each service's single {@code @RestControllerAdvice}: turns every framework
 * exception into an RFC 9457 problem with a stable {@code type}, adds the answering
 * {@code service}, lists field errors as {@code errors: [{field, message}]} and answers
 * anything unexpected with a logged 500 problem instead of an HTML page or stack trace.
 * <p>
 * Services extend it and add {@code @ExceptionHandler} methods for their own domain
 * exceptions, building bodies with {@link #problem(HttpStatus, URI, String, String)}.
 */
public abstract class PlatformProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(PlatformProblemHandler.class);

	private final String service;

	protected PlatformProblemHandler(String service) {
		this.service = service;
	}

	/**
	 * Creates a problem body.
	 * @param status the status
	 * @param type the stable type
	 * @param title a short, human-readable summary of the type
	 * @param detail what happened in this occurrence
	 * @return the problem
	 */
	protected static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return problem;
	}

	/**
	 * A {@code Retry-After} header.
	 * @param seconds the delay
	 * @return headers holding it
	 */
	protected static HttpHeaders retryAfter(long seconds) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		return headers;
	}

	/**
	 * Answers a problem body with its status.
	 * @param problem the body
	 * @return the response entity
	 */
	protected ResponseEntity<Object> respond(ProblemDetail problem) {
		return respond(problem, new HttpHeaders());
	}

	/**
	 * Answers a problem body with its status and extra headers.
	 * @param problem the body
	 * @param headers headers to add
	 * @return the response entity
	 */
	protected ResponseEntity<Object> respond(ProblemDetail problem, HttpHeaders headers) {
		return createResponseEntity(problem, headers, HttpStatusCode.valueOf(problem.getStatus()), null);
	}

	/**
	 * An error that carries its own problem ({@link ProblemException}): every feature's
	 * error, without this handler knowing any of them.
	 */
	@ExceptionHandler(ProblemException.class)
	ResponseEntity<Object> reported(ProblemException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(ex.status()), ex.detail());
		problem.setType(ex.type());
		problem.setTitle(ex.title());
		ex.properties().forEach(problem::setProperty);
		return respond(problem,
				ex.retryAfter().map((delay) -> retryAfter(delay.toSeconds())).orElseGet(HttpHeaders::new));
	}

	/**
	 * A concurrent change or a lock held elsewhere: 409 {@code busy} with
	 * {@code Retry-After}; the same request may well succeed when retried.
	 */
	@ExceptionHandler({ org.springframework.dao.PessimisticLockingFailureException.class,
			org.springframework.dao.OptimisticLockingFailureException.class })
	ResponseEntity<Object> busy(RuntimeException ex) {
		return respond(problem(HttpStatus.CONFLICT, ProblemTypes.BUSY, "Concurrent change",
				"The data changed or was locked by a concurrent request; retry."), retryAfter(1));
	}

	/**
	 * The database cannot be reached, did not answer in time, or a commit's outcome is
	 * unknown: 503 with {@code Retry-After}. A client that retries a write with the same
	 * {@code Idempotency-Key} gets exactly one result.
	 */
	@ExceptionHandler({ org.springframework.dao.DataAccessResourceFailureException.class,
			org.springframework.dao.QueryTimeoutException.class,
			org.springframework.dao.TransientDataAccessResourceException.class,
			org.springframework.transaction.CannotCreateTransactionException.class,
			org.springframework.transaction.TransactionTimedOutException.class,
			org.springframework.transaction.TransactionSystemException.class })
	ResponseEntity<Object> databaseUnavailable(Exception ex, WebRequest request) {
		log.warn("Database unavailable for {}: {}", describe(request), ex.toString());
		return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, "Service unavailable",
				"The database is unavailable right now; retry shortly."), retryAfter(2));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
		log.error("Unexpected error on {}", describe(request), ex);
		return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "Internal error",
				"The request could not be completed; it has been logged."));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.sorted(Comparator.comparing(FieldError::getField))
			.forEach((error) -> errors.add(fieldError(error.getField(), message(error))));
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach((error) -> errors.add(fieldError(error.getObjectName(), message(error))));
		return handleExceptionInternal(ex, validation(errors), headers, status, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		for (ParameterValidationResult result : ex.getParameterValidationResults()) {
			if (result instanceof ParameterErrors bindingErrors) {
				bindingErrors.getFieldErrors()
					.forEach((error) -> errors.add(fieldError(error.getField(), message(error))));
				bindingErrors.getGlobalErrors()
					.forEach((error) -> errors.add(fieldError(error.getObjectName(), message(error))));
				continue;
			}
			String name = parameterName(result);
			result.getResolvableErrors().forEach((error) -> errors.add(fieldError(name, message(error))));
		}
		return handleExceptionInternal(ex, validation(errors), headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String field = (ex.getPropertyName() != null) ? ex.getPropertyName() : "value";
		String type = (ex.getRequiredType() != null) ? describeType(ex.getRequiredType()) : "a valid value";
		return handleExceptionInternal(ex, validation(List.of(fieldError(field, "must be " + type))), headers,
				HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = ex.getMostSpecificCause();
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return handleExceptionInternal(ex, validation(List.of(fieldError(path(unknown), "is not a known field"))),
					headers, HttpStatus.BAD_REQUEST, request);
		}
		if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
			DatabindException mismatch = (DatabindException) cause;
			String field = path(mismatch);
			if (!field.isEmpty()) {
				Class<?> target = (mismatch instanceof MismatchedInputException input) ? input.getTargetType() : null;
				String expected = (target != null) ? describeType(target) : "of another type";
				return handleExceptionInternal(ex, validation(List.of(fieldError(field, "must be " + expected))),
						headers, HttpStatus.BAD_REQUEST, request);
			}
		}
		String detail = (cause instanceof JacksonException) ? "The request body is not valid JSON."
				: "The request body is missing or cannot be read.";
		return handleExceptionInternal(ex,
				problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST, "Malformed request", detail), headers,
				HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, @Nullable WebRequest request) {
		if (body instanceof ProblemDetail problem) {
			if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
				problem.setType(ProblemTypes.forStatus(statusCode.value()));
			}
			if (problem.getInstance() == null) {
				WebRequest current = (request != null) ? request : currentRequest();
				if (current instanceof ServletWebRequest servlet) {
					problem.setInstance(URI.create(servlet.getRequest().getRequestURI()));
				}
			}
			problem.setProperty("service", this.service);
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	/**
	 * Creates a 400 problem listing invalid fields.
	 * @param errors {@code {field, message}} pairs, see
	 * {@link #fieldError(String, String)}
	 * @return the problem
	 */
	protected static ProblemDetail validation(List<Map<String, String>> errors) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Invalid request",
				"The request has invalid fields; see errors.");
		problem.setProperty("errors", errors);
		return problem;
	}

	/**
	 * One invalid field.
	 * @param field the field's path, or a header or parameter name
	 * @param message what is wrong with it
	 * @return the entry of a problem's {@code errors}
	 */
	protected static Map<String, String> fieldError(String field, String message) {
		return Map.of("field", field, "message", message);
	}

	private static String parameterName(ParameterValidationResult result) {
		RequestParam param = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
		if (param != null && !param.name().isEmpty()) {
			return param.name();
		}
		RequestHeader header = result.getMethodParameter().getParameterAnnotation(RequestHeader.class);
		if (header != null && !header.name().isEmpty()) {
			return header.name();
		}
		String name = result.getMethodParameter().getParameterName();
		return (name != null) ? name : "value";
	}

	private static String message(MessageSourceResolvable error) {
		return (error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid";
	}

	private static String path(DatabindException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String describeType(Class<?> type) {
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "an integer";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type.isEnum()) {
			StringBuilder values = new StringBuilder();
			for (Object constant : type.getEnumConstants()) {
				values.append(values.isEmpty() ? "" : ", ").append(constant);
			}
			return "one of " + values;
		}
		if (type.isArray() || List.class.isAssignableFrom(type)) {
			return "an array";
		}
		return "a valid " + type.getSimpleName();
	}

	private static @Nullable WebRequest currentRequest() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? new ServletWebRequest(attributes.getRequest()) : null;
	}

	private static String describe(WebRequest request) {
		return (request instanceof ServletWebRequest servlet)
				? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI() : request.toString();
	}

}
