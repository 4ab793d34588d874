package dev.sysdesign.messaging;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;

/**
 * The current trace context as W3C headers ({@code traceparent}), captured when an outbox
 * row is written so that the message the relay sends later continues the request's trace.
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
		Map<String, String> headers = new HashMap<>();
		this.propagator.inject(span.context(), headers, Map::put);
		return headers.get(TRACEPARENT);
	}

}
