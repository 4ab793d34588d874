package dev.sysdesign.orders.database;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * Read/write split over the primary/replica pair.
 * <p>
 * Two pools: {@code primary} ({@code spring.datasource.*}) and {@code replica}
 * ({@code platform.datasource.replica.*}, read-only). The application's
 * {@code dataSource} is a {@link LazyConnectionDataSourceProxy}: a transaction marked
 * read-only gets its connection from the {@link ReplicaRoutingDataSource} (the replica
 * when healthy and caught up with the user, otherwise the primary), every other one from
 * the primary. Flyway runs on the primary only.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ReplicaProperties.class, ReadYourWritesProperties.class })
class DataSourceConfiguration {

	@Bean
	@FlywayDataSource
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource primaryDataSource(DataSourceProperties properties) {
		return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
	}

	@Bean
	HikariDataSource replicaDataSource(ReplicaProperties properties, HikariDataSource primaryDataSource) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("replica");
		config.setJdbcUrl(properties.url());
		config.setUsername(properties.username());
		config.setPassword(properties.password());
		config.setReadOnly(true);
		config.setMaximumPoolSize(properties.poolSize());
		config.setConnectionTimeout(properties.connectionTimeout().toMillis());
		config.setValidationTimeout(properties.connectionTimeout().toMillis());
		config.setTransactionIsolation(primaryDataSource.getTransactionIsolation());
		// the primary's driver settings: socket and connect timeouts
		primaryDataSource.getDataSourceProperties()
			.forEach((name, value) -> config.addDataSourceProperty(name.toString(), value));
		// start without the replica: it is optional, the service must start and serve
		// without it
		config.setInitializationFailTimeout(-1);
		return new HikariDataSource(config);
	}

	@Bean
	DatabaseDialect databaseDialect(HikariDataSource primaryDataSource) throws SQLException {
		try (Connection connection = primaryDataSource.getConnection()) {
			return DatabaseDialect.of(connection);
		}
	}

	@Bean
	ReplicaHealth replicaHealth(HikariDataSource replicaDataSource, DatabaseDialect dialect,
			ReplicaProperties properties, MeterRegistry meters) {
		return new ReplicaHealth(replicaDataSource, dialect, properties, meters);
	}

	@Bean
	ReplicaHealthIndicator replicaDatabaseHealthIndicator(ReplicaHealth health) {
		return new ReplicaHealthIndicator(health);
	}

	@Bean(destroyMethod = "close")
	ReadYourWrites readYourWrites(StringRedisTemplate redis, ObjectProvider<DataSource> dataSource,
			DatabaseDialect dialect, ReadYourWritesProperties properties, MeterRegistry meters) {
		return new ReadYourWrites(redis, dataSource, dialect, properties, meters);
	}

	@Bean
	@Primary
	LazyConnectionDataSourceProxy dataSource(HikariDataSource primaryDataSource, HikariDataSource replicaDataSource,
			ReplicaHealth replicaHealth, ReadYourWrites readYourWrites, DatabaseDialect dialect, MeterRegistry meters) {
		LazyConnectionDataSourceProxy proxy = new LazyConnectionDataSourceProxy(primaryDataSource);
		proxy.setReadOnlyDataSource(new ReplicaRoutingDataSource(primaryDataSource, replicaDataSource, replicaHealth,
				readYourWrites, dialect, meters));
		// known defaults: no connection is fetched just to learn them (that would pin
		// reads to the primary)
		proxy.setDefaultAutoCommit(true);
		proxy.setDefaultTransactionIsolation(primaryDataSource.getTransactionIsolation() != null
				? isolationLevel(primaryDataSource.getTransactionIsolation()) : Connection.TRANSACTION_READ_COMMITTED);
		return proxy;
	}

	/**
	 * Retries a read-only transaction on the primary when its replica connection broke;
	 * ordered outside the transaction interceptor so the retry runs in a new transaction.
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor replicaFailoverAdvisor(ObjectProvider<ReplicaHealth> health) {
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(new ReplicaFailover.ReadOnlyTransactionPointcut(),
				new ReplicaFailover.Interceptor(health));
		advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return advisor;
	}

	@Bean
	FilterRegistrationBean<CurrentUserFilter> currentUserFilter() {
		FilterRegistrationBean<CurrentUserFilter> registration = new FilterRegistrationBean<>(new CurrentUserFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
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
