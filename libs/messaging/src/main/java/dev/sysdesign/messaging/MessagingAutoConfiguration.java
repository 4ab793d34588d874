package dev.sysdesign.messaging;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sysdesign.messaging.schema.V2__outbox_unsent_in_id_order;
import dev.sysdesign.support.metrics.DatabaseGauge;
import dev.sysdesign.support.schema.LibrarySchema;

/**
 * The platform's reliable messaging for a service with a database and RabbitMQ: the
 * envelope codec, the outbox and its relay, the inbox and the consumers of work queues.
 * The service's schema needs the {@code outbox} and {@code inbox} tables; its
 * {@code spring.rabbitmq} settings need publisher confirms and returns (checked at
 * start-up).
 */
@AutoConfiguration
@ConditionalOnClass({ RabbitTemplate.class, JdbcClient.class })
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

	/**
	 * Every publication of the service is mandatory: a message no queue takes comes back
	 * (and is retried) instead of vanishing.
	 */
	@Bean
	RabbitTemplateCustomizer mandatoryPublications() {
		return (template) -> {
			template.setMandatory(true);
			// returns are attached to the publication's CorrelationData, where the
			// publishers look for them
			template.setReturnsCallback((returned) -> {
			});
		};
	}

	@Bean
	@ConditionalOnMissingBean
	EnvelopeCodec envelopeCodec(JsonMapper json) {
		return new EnvelopeCodec(json);
	}

	@Bean
	@ConditionalOnMissingBean
	TraceHeaders traceHeaders(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new TraceHeaders(tracer.getIfAvailable(), propagator.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	Inbox inbox(JdbcClient jdbc, ObjectProvider<Clock> clock) {
		return new Inbox(jdbc, clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	InboxPurge inboxPurge(JdbcClient jdbc, ObjectProvider<Clock> clock, MessagingProperties properties,
			MeterRegistry meters) {
		return new InboxPurge(jdbc, clock.getIfAvailable(Clock::systemUTC), properties.inbox(), meters);
	}

	@Bean
	@ConditionalOnMissingBean
	OutboxRelay outboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, RabbitTemplate rabbit,
			ObjectProvider<Clock> clock, TraceHeaders traces, MessagingProperties properties, MeterRegistry meters) {
		return new OutboxRelay(jdbc, transactions, rabbit, clock.getIfAvailable(Clock::systemUTC), traces,
				properties.relay().settings(), meters);
	}

	@Bean
	@ConditionalOnMissingBean
	Outbox outbox(JdbcClient jdbc, EnvelopeCodec codec, TraceHeaders traces, ObjectProvider<Clock> clock,
			OutboxRelay relay) {
		return new Outbox(jdbc, codec, traces, clock.getIfAvailable(Clock::systemUTC), relay::wakeUp);
	}

	@Bean
	@ConditionalOnMissingBean
	ConfirmedPublisher confirmedPublisher(RabbitTemplate rabbit, MessagingProperties properties) {
		return new ConfirmedPublisher(rabbit, properties.relay().confirmTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	ReliableConsumers reliableConsumers(EnvelopeCodec codec, Inbox inbox, TransactionTemplate transactions,
			ConfirmedPublisher publisher, MessagingProperties properties, MeterRegistry meters) {
		return new ReliableConsumers(codec, inbox, transactions, publisher, properties, meters);
	}

	/**
	 * What operators watch of the outbox and inbox, computed in the background
	 * ({@code DatabaseGauges}): unsent rows, the age of the oldest (how far behind the
	 * relay is, the broker unreachable or a row stuck), and the inbox's size (an estimate
	 * from the table statistics: counting a table that only grows would cost more every
	 * time).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DatabaseGauge.class)
	static class MessagingGauges {

		@Bean
		DatabaseGauge outboxBacklog() {
			return DatabaseGauge.of("outbox.backlog", "Outbox rows not yet published", null,
					"SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
		}

		@Bean
		DatabaseGauge outboxOldestUnsentAge() {
			return DatabaseGauge.of("outbox.oldest.unsent.age",
					"Age of the oldest outbox row not yet published (0: none)", "seconds",
					"SELECT COALESCE((SELECT TIMESTAMPDIFF(MICROSECOND, created_at, UTC_TIMESTAMP(6)) FROM outbox "
							+ "WHERE sent_at IS NULL ORDER BY id LIMIT 1), 0) / 1000000");
		}

		@Bean
		DatabaseGauge inboxMessages() {
			return DatabaseGauge.of("inbox.messages", "Message ids in the inbox (estimate from table statistics)", null,
					"SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
							+ "AND TABLE_NAME = 'inbox'");
		}

	}

	/**
	 * The outbox and inbox tables ({@code db/messaging} and
	 * {@link V2__outbox_unsent_in_id_order}), applied after the service's own Flyway
	 * migrations, with their own history table.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.flywaydb.core.Flyway", "dev.sysdesign.support.schema.LibrarySchema" })
	static class SchemaConfiguration {

		@Bean
		LibrarySchema messagingSchema() {
			return new LibrarySchema("messaging", "messaging_schema_history", "classpath:db/messaging",
					new V2__outbox_unsent_in_id_order());
		}

	}

}
