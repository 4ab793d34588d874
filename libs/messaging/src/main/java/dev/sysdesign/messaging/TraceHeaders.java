package dev.sysdesign.messaging;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;

/**
 * The current trace context as W3C headers ({@code traceparent}), captured when an outbox
 * row is written so that the message the relay sends later continues the request's trace:
 * the relay publishes each row in a span of its own, a child of the context the row
 * stored, and the message carries that span's {@code traceparent}.
 */
public final class TraceHeaders {

	/** The W3C trace context header. */
	public static final String TRACEPARENT = "traceparent";

	private final @Nullable Tracer tracer;

	private final @Nullable Propagator propagator;

	public TraceHeaders(@Nullable Tracer tracer, @Nullable Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	/**
	 * The {@code traceparent} of the current span.
	 * @return the header value, or {@code null} outside a trace
	 */
	public @Nullable String currentTraceparent() {
		if (this.tracer == null || this.propagator == null) {
			return null;
		}
		Span span = this.tracer.currentSpan();
		if (span == null) {
			return null;
		}
		return traceparentOf(span);
	}

	/**
	 * Starts the span of a publication that continues a stored trace context.
	 * @param traceparent the context the outbox row stored, or {@code null}
	 * @param exchange the exchange published to
	 * @param routingKey the routing key
	 * @return the publication's span; without a stored context or a tracer, one that
	 * records nothing and passes the stored context on
	 */
	public Publication publishing(@Nullable String traceparent, String exchange, String routingKey) {
		if (this.tracer == null || this.propagator == null || traceparent == null) {
			return new Publication(null, traceparent);
		}
		Span span = this.propagator.extract(Map.of(TRACEPARENT, traceparent), Map::get)
			.name("outbox publish")
			.kind(Span.Kind.PRODUCER)
			.remoteServiceName("rabbitmq")
			.tag("messaging.system", "rabbitmq")
			.tag("messaging.destination.name", exchange)
			.tag("messaging.rabbitmq.destination.routing_key", routingKey)
			.start();
		return new Publication(span, traceparentOf(span));
	}

	private @Nullable String traceparentOf(Span span) {
		Propagator propagator = this.propagator;
		if (propagator == null) {
			return null;
		}
		Map<String, String> headers = new HashMap<>();
		propagator.inject(span.context(), headers, Map::put);
		return headers.get(TRACEPARENT);
	}

	/**
	 * The span of one publication, from the send to the broker's answer.
	 *
	 * @param span the span, or {@code null} when nothing is recorded
	 * @param traceparent the context the message carries, or {@code null} for none
	 */
	public record Publication(@Nullable Span span, @Nullable String traceparent) {

		/**
		 * Ends the span.
		 * @param error why the publication failed, or {@code null} when the broker took
		 * the message
		 */
		public void end(@Nullable String error) {
			if (this.span != null) {
				if (error != null) {
					this.span.tag("error", error);
				}
				this.span.end();
			}
		}

	}

}
