package dev.sysdesign.orders.system;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.sysdesign.orders.catalog.InsufficientStockException;
import dev.sysdesign.orders.catalog.ProductNotFoundException;
import dev.sysdesign.orders.catalog.UnknownProductException;
import dev.sysdesign.orders.idempotency.IdempotencyKeyInFlightException;
import dev.sysdesign.orders.idempotency.IdempotencyKeyReusedException;
import dev.sysdesign.orders.order.OrderNotFoundException;
import dev.sysdesign.orders.order.OrderStateException;
import dev.sysdesign.orders.order.web.InvalidIdempotencyKeyException;
import dev.sysdesign.support.web.PlatformProblemHandler;
import dev.sysdesign.support.web.ProblemTypes;

/**
 * Maps every error of the order-service to an RFC 9457 problem: framework errors through
 * {@link PlatformProblemHandler}, domain errors here. Checks run in the order the API
 * promises: invalid request 400, unknown reference 422, state conflict 409.
 */
@RestControllerAdvice
class ProblemHandler extends PlatformProblemHandler {

	ProblemHandler(@Value("${spring.application.name}") String service) {
		super(service);
	}

	@ExceptionHandler(InvalidIdempotencyKeyException.class)
	ResponseEntity<Object> invalidIdempotencyKey(InvalidIdempotencyKeyException ex) {
		return respond(validation(List.of(fieldError("Idempotency-Key", "must be 1 to 255 characters"))));
	}

	@ExceptionHandler(UnknownProductException.class)
	ResponseEntity<Object> unknownProduct(UnknownProductException ex) {
		ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.of("unknown-product"),
				"Unknown product", "Not in the catalog: " + String.join(", ", ex.skus()) + ".");
		problem.setProperty("skus", ex.skus());
		return respond(problem);
	}

	@ExceptionHandler(IdempotencyKeyReusedException.class)
	ResponseEntity<Object> idempotencyKeyReused(IdempotencyKeyReusedException ex) {
		return respond(problem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.of("idempotency-key-reused"),
				"Idempotency-Key reused", "This Idempotency-Key was used with a different request body."));
	}

	@ExceptionHandler(InsufficientStockException.class)
	ResponseEntity<Object> insufficientStock(InsufficientStockException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, ProblemTypes.of("insufficient-stock"), "Not enough stock",
				"Not enough units of " + ex.sku() + " in stock.");
		problem.setProperty("sku", ex.sku());
		return respond(problem);
	}

	@ExceptionHandler(OrderStateException.class)
	ResponseEntity<Object> orderState(OrderStateException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, ProblemTypes.of("order-state"), "Order state conflict",
				"The order is " + ex.current() + "; only a PENDING order can change.");
		problem.setProperty("orderStatus", ex.current());
		return respond(problem);
	}

	@ExceptionHandler(IdempotencyKeyInFlightException.class)
	ResponseEntity<Object> idempotencyKeyInFlight(IdempotencyKeyInFlightException ex) {
		return respond(problem(HttpStatus.CONFLICT, ProblemTypes.of("idempotency-key-in-flight"), "Request in progress",
				"A request with this Idempotency-Key is still being processed; retry shortly."), retryAfter(1));
	}

	@ExceptionHandler({ PessimisticLockingFailureException.class, OptimisticLockingFailureException.class })
	ResponseEntity<Object> busy(RuntimeException ex) {
		return respond(problem(HttpStatus.CONFLICT, ProblemTypes.of("busy"), "Concurrent change",
				"The data changed or was locked by a concurrent request; retry."), retryAfter(1));
	}

	@ExceptionHandler({ OrderNotFoundException.class, ProductNotFoundException.class })
	ResponseEntity<Object> notFound(RuntimeException ex) {
		return respond(problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", ex.getMessage() + "."));
	}

}
