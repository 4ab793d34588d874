package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

import dev.sysdesign.support.database.FailoverDataSource;

/**
 * Read/write split over the database cluster.
 * <p>
 * The primary's pool is the platform's {@link FailoverDataSource} (service-support): it
 * finds the writable node among {@code platform.datasource.nodes} and follows it. The
 * replicas ({@link Replicas}) are every other node, or the one endpoint
 * {@code platform.datasource.replica.url}. The application's {@code dataSource} is a
 * {@link LazyConnectionDataSourceProxy}: a transaction marked read-only gets its
 * connection from the {@link ReplicaRoutingDataSource} (a replica when healthy and caught
 * up with the user, otherwise the primary, and any replica while there is no primary),
 * every other one from the primary.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ReplicaProperties.class, ReadYourWritesProperties.class })
class DataSourceConfiguration {

	@Bean
	DatabaseDialect databaseDialect(FailoverDataSource primaryDataSource) throws SQLException {
		try (Connection connection = primaryDataSource.getConnection()) {
			return DatabaseDialect.of(connection);
		}
	}

	@Bean(destroyMethod = "close")
	Replicas replicas(FailoverDataSource primaryDataSource, ReplicaProperties properties, DatabaseDialect dialect,
			@Value("${spring.datasource.hikari.transaction-isolation:TRANSACTION_READ_COMMITTED}") String isolation,
			MeterRegistry meters) {
		return new Replicas(primaryDataSource, properties, dialect, isolation, meters);
	}

	@Bean
	ReplicaHealthIndicator replicaDatabaseHealthIndicator(Replicas replicas) {
		return new ReplicaHealthIndicator(replicas);
	}

	@Bean
	DatabaseClusterHealthIndicator databaseClusterHealthIndicator(FailoverDataSource primaryDataSource,
			Replicas replicas) {
		return new DatabaseClusterHealthIndicator(primaryDataSource, replicas);
	}

	@Bean(destroyMethod = "close")
	ReadYourWrites readYourWrites(StringRedisTemplate redis, ObjectProvider<DataSource> dataSource,
			DatabaseDialect dialect, ReadYourWritesProperties properties, MeterRegistry meters) {
		return new ReadYourWrites(redis, dataSource, dialect, properties, meters);
	}

	@Bean
	@Primary
	LazyConnectionDataSourceProxy dataSource(FailoverDataSource primaryDataSource, Replicas replicas,
			ReadYourWrites readYourWrites, DatabaseDialect dialect, MeterRegistry meters,
			@Value("${spring.datasource.hikari.transaction-isolation:TRANSACTION_READ_COMMITTED}") String isolation) {
		LazyConnectionDataSourceProxy proxy = new LazyConnectionDataSourceProxy(primaryDataSource);
		proxy.setReadOnlyDataSource(
				new ReplicaRoutingDataSource(primaryDataSource, replicas, readYourWrites, dialect, meters));
		// known defaults: no connection is fetched just to learn them (that would pin
		// reads to the primary)
		proxy.setDefaultAutoCommit(true);
		proxy.setDefaultTransactionIsolation(isolationLevel(isolation));
		return proxy;
	}

	/**
	 * Retries a read-only transaction on the primary when its replica connection broke;
	 * ordered outside the transaction interceptor so the retry runs in a new transaction.
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor replicaFailoverAdvisor() {
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(new ReplicaFailover.ReadOnlyTransactionPointcut(),
				new ReplicaFailover.Interceptor());
		advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return advisor;
	}

	@Bean
	FilterRegistrationBean<ReadRoutingFilter> readRoutingFilter() {
		FilterRegistrationBean<ReadRoutingFilter> registration = new FilterRegistrationBean<>(new ReadRoutingFilter());
		// after service-support's identity filter, which parses the caller
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
		return registration;
	}

	private static int isolationLevel(String name) {
		return switch (name) {
			case "TRANSACTION_READ_UNCOMMITTED" -> Connection.TRANSACTION_READ_UNCOMMITTED;
			case "TRANSACTION_REPEATABLE_READ" -> Connection.TRANSACTION_REPEATABLE_READ;
			case "TRANSACTION_SERIALIZABLE" -> Connection.TRANSACTION_SERIALIZABLE;
			default -> Connection.TRANSACTION_READ_COMMITTED;
		};
	}

}
