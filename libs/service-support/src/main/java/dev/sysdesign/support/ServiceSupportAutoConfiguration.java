package dev.sysdesign.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

import dev.sysdesign.support.schema.LibrarySchema;
import dev.sysdesign.support.database.FailoverAwareExceptionTranslator;
import dev.sysdesign.support.web.DefaultProblemHandler;
import dev.sysdesign.support.web.PlatformProblemHandler;
import dev.sysdesign.support.database.FailoverDataSource;
import dev.sysdesign.support.database.JdbcAddress;
import dev.sysdesign.support.database.PrimaryDatabaseHealthIndicator;
import dev.sysdesign.support.identity.IdentityConfiguration;
import dev.sysdesign.support.identity.IdentityFilter;
import dev.sysdesign.support.metrics.DatabaseGauge;
import dev.sysdesign.support.metrics.DatabaseGauges;
import dev.sysdesign.support.scheduling.BackgroundRefresh;
import dev.sysdesign.support.scheduling.ClusterScheduler;
import dev.sysdesign.support.scheduling.ClusterSchedulerProperties;
import dev.sysdesign.support.web.RequestIdFilter;

/**
 * Applies the platform's cross-cutting mechanisms to a servlet service: request ids, the
 * gateway's identity headers, primary-database readiness and error translation.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, before = JdbcTemplateAutoConfiguration.class)
public class ServiceSupportAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@Import(IdentityConfiguration.class)
	static class WebSupportConfiguration {

		private static final Set<String> PROBES = Set.of("/readyz", "/livez");

		@Bean
		FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
			FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
			// after the observation filter (HIGHEST_PRECEDENCE + 1), so that trace ids
			// are in the MDC
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
			return registration;
		}

		/**
		 * The caller, parsed once per request from the gateway's identity headers.
		 */
		@Bean
		FilterRegistrationBean<IdentityFilter> identityFilter() {
			FilterRegistrationBean<IdentityFilter> registration = new FilterRegistrationBean<>(new IdentityFilter());
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
			return registration;
		}

		/**
		 * Errors as RFC 9457 problems, for a service without a handler of its own.
		 */
		@Bean
		@ConditionalOnMissingBean(PlatformProblemHandler.class)
		DefaultProblemHandler problemHandler(@Value("${spring.application.name}") String service) {
			return new DefaultProblemHandler(service);
		}

		/**
		 * The gateway's readiness probes ({@code /readyz}, every few seconds per
		 * instance) and liveness checks are neither traced nor counted as requests: they
		 * would be a trace each and skew the request rate and latency.
		 */
		@Bean
		ObservationPredicate probesAreNotObserved() {
			return (name, context) -> !(context instanceof ServerRequestObservationContext request)
					|| !PROBES.contains(request.getCarrier().getRequestURI());
		}

	}

	/**
	 * Strict JSON input: a number is not a string, a string is not a number, and 1.5 is
	 * not an integer. Bad types are 400s naming the field instead of silent conversions.
	 */
	@Bean
	JsonMapperBuilderCustomizer strictJsonTypes() {
		return (builder) -> builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

	/**
	 * Runs the service's {@code Task} beans once per slot across its instances (see
	 * {@link ClusterScheduler}).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.github.kagkarlsson.scheduler.Scheduler")
	@ConditionalOnBean(type = "com.github.kagkarlsson.scheduler.task.Task")
	@ConditionalOnBooleanProperty(name = "platform.scheduler.enabled", matchIfMissing = true)
	@EnableConfigurationProperties(ClusterSchedulerProperties.class)
	static class ClusterSchedulingConfiguration {

		@Bean
		ClusterScheduler clusterScheduler(Map<String, DataSource> dataSources,
				List<com.github.kagkarlsson.scheduler.task.Task<?>> tasks, ClusterSchedulerProperties properties,
				@Value("${spring.application.name:service}") String service) {
			DataSource primary = primary(dataSources);
			String instance = service + "-" + UUID.randomUUID().toString().substring(0, 8);
			return new ClusterScheduler(primary, tasks, properties, instance);
		}

	}

	/**
	 * The cluster scheduler's table ({@code db/scheduler}), applied after the service's
	 * own Flyway migrations wherever db-scheduler is on the class path.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "com.github.kagkarlsson.scheduler.Scheduler", "org.flywaydb.core.Flyway" })
	static class SchedulerSchemaConfiguration {

		@Bean
		LibrarySchema schedulerSchema() {
			return new LibrarySchema("scheduler", "scheduler_schema_history", "classpath:db/scheduler");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DataSource.class)
	@ConditionalOnBean(DataSource.class)
	static class PrimaryDatabaseConfiguration {

		/**
		 * A {@link JdbcTemplate} (and so {@code JdbcClient}) that translates
		 * MySQL/MariaDB error codes: a lock wait timeout (1205) becomes a
		 * {@code CannotAcquireLockException}, a deadlock (1213) a
		 * {@code DeadlockLoserDataAccessException}. Spring's default translator looks
		 * only at exception classes and SQL states, and the MariaDB driver reports both
		 * as a plain {@code SQLException} with state {@code HY000}.
		 */
		@Bean
		@ConditionalOnMissingBean(JdbcOperations.class)
		JdbcTemplate jdbcTemplate(DataSource dataSource, ObjectProvider<FailoverDataSource> primary) {
			JdbcTemplate template = new JdbcTemplate(dataSource);
			SQLExceptionTranslator translator = new SQLErrorCodeSQLExceptionTranslator("MySQL");
			FailoverDataSource failover = primary.getIfAvailable();
			// a read-only refusal or a lost connection may mean the primary moved
			template.setExceptionTranslator(
					(failover != null) ? new FailoverAwareExceptionTranslator(translator, failover) : translator);
			return template;
		}

		/**
		 * The primary's health, for the readiness group. A service with several pools
		 * names its primary pool {@code primaryDataSource}.
		 */
		@Bean
		@ConditionalOnMissingBean(name = "primaryDatabaseHealthIndicator")
		PrimaryDatabaseHealthIndicator primaryDatabaseHealthIndicator(Map<String, DataSource> dataSources,
				@Value("${spring.datasource.url:}") String url,
				@Value("${platform.datasource.failover-grace:30s}") Duration failoverGrace) {
			return new PrimaryDatabaseHealthIndicator(primary(dataSources), JdbcAddress.of(url), failoverGrace);
		}

		/**
		 * The gauges that need SQL ({@link DatabaseGauge} beans), on the primary's pool.
		 */
		@Bean
		DatabaseGauges databaseGauges(Map<String, DataSource> dataSources, ObjectProvider<MeterRegistry> meters,
				ObjectProvider<DatabaseGauge> gauges,
				@Value("${platform.metrics.database-gauges.timeout:2s}") Duration timeout) {
			JdbcTemplate jdbc = new JdbcTemplate(primary(dataSources));
			jdbc.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
			return new DatabaseGauges(jdbc, meters.getIfAvailable(SimpleMeterRegistry::new),
					gauges.orderedStream().toList());
		}

		/**
		 * Refreshes them in the background: a scrape never waits for the database.
		 */
		@Bean
		BackgroundRefresh databaseGaugesRefresh(DatabaseGauges gauges,
				@Value("${platform.metrics.database-gauges.interval:15s}") Duration interval) {
			return new BackgroundRefresh("database-gauges", interval, gauges::refresh);
		}

	}

	/**
	 * The primary's pool: the one named {@code primaryDataSource} in a service with
	 * several, otherwise the service's only one.
	 */
	static DataSource primary(Map<String, DataSource> dataSources) {
		DataSource primary = dataSources.containsKey("primaryDataSource") ? dataSources.get("primaryDataSource")
				: dataSources.get("dataSource");
		return (primary != null) ? primary : dataSources.values().iterator().next();
	}

}
