package dev.sysdesign.orders.system;

import io.micrometer.observation.ObservationPredicate;
import net.ttddyy.observation.tracing.JdbcConnectionInfoExtractor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * SQL statements as spans of the trace that issued them (datasource-micrometer, set up by
 * {@code jdbc.*} in application.yml): only the application's {@code dataSource} is
 * wrapped — the routing proxy that hands read-only transactions to the replica — never
 * the pools behind it.
 * <p>
 * Two rules keep the routing and the trace viewer intact:
 * <ul>
 * <li>No connection is asked for its metadata to name the database in a span: that would
 * make the routing proxy fetch a connection before the transaction is marked read-only,
 * pinning every read to the primary.</li>
 * <li>A statement outside any traced operation (the outbox relay's and the scheduler's
 * polls, the periodic gauges) starts no trace of its own: without this, each poll would
 * be a trace of one span.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class JdbcTracingConfiguration {

	@Bean
	JdbcConnectionInfoExtractor noConnectionMetadata() {
		return (connection) -> JdbcConnectionInfoExtractor.EMPTY_RESULT;
	}

	@Bean
	ObservationPredicate statementsOnlyWithinTraces() {
		return (name, context) -> !name.startsWith("jdbc.") || context.getParentObservation() != null;
	}

}
