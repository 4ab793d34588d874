package dev.sysdesign.support.database;

import java.time.Clock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The primary's connection pool of every service with a database: a
 * {@link FailoverDataSource} over the cluster's nodes ({@code platform.datasource.nodes},
 * defaulting to the address of {@code spring.datasource.url}), with the pool settings of
 * {@code spring.datasource.hikari.*}. It replaces Boot's single pool, so that writes,
 * Flyway, outbox relays, consumers and schedulers all follow the primary when it moves.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ DataSource.class, HikariDataSource.class })
@ConditionalOnProperty("spring.datasource.url")
@EnableConfigurationProperties({ DataSourceProperties.class, DatabaseProperties.class })
public class DatabaseAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(FailoverDataSource.class)
	FailoverDataSource primaryDataSource(DataSourceProperties dataSource, DatabaseProperties database,
			Environment environment, ObjectProvider<MeterRegistry> meters) {
		HikariConfig template = new HikariConfig();
		Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(template));
		template.setUsername(dataSource.determineUsername());
		template.setPassword(dataSource.determinePassword());
		template.setDriverClassName(dataSource.determineDriverClassName());
		return new FailoverDataSource(new DatabaseNodes(dataSource.determineUrl(), database.nodes()), template,
				database.probeInterval(), meters.getIfAvailable(), Clock.systemUTC());
	}

}
