package dev.sysdesign.support.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;

import dev.sysdesign.testing.Database;
import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The primary's pool over the real three-node cluster: it finds the writable node by
 * itself, and when a switchover makes another node the primary, writes refused by the
 * demoted node (read-only, error 1290) become a retryable
 * {@link TransientDataAccessResourceException} and the pool moves to the new primary
 * without a restart. The cluster is given back with db1 as the primary.
 */
class FailoverDataSourceIntegrationTests {

	final PlatformInfrastructure infrastructure = PlatformInfrastructure.get();

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	FailoverDataSource dataSource;

	JdbcTemplate jdbc;

	@BeforeEach
	void pool() {
		this.infrastructure.script("up");
		this.infrastructure.script("switchover", "db1");
		Database any = this.infrastructure.nodes().get(2);
		HikariConfig template = new HikariConfig();
		template.setUsername(any.adminUser());
		template.setPassword(any.adminPassword());
		template.setMaximumPoolSize(2);
		template.setConnectionTimeout(2000);
		this.dataSource = new FailoverDataSource(
				new DatabaseNodes(any.jdbcUrl("harness"), this.infrastructure.nodeAddresses()), template,
				Duration.ofMillis(200), this.meters, Clock.systemUTC());
		this.dataSource.start();
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.jdbc.setExceptionTranslator(
				new FailoverAwareExceptionTranslator(new SQLErrorCodeSQLExceptionTranslator("MySQL"), this.dataSource));
		this.infrastructure.primary()
			.execute("CREATE DATABASE IF NOT EXISTS harness",
					"CREATE TABLE IF NOT EXISTS harness.failover_probe (id BIGINT PRIMARY KEY)");
	}

	@AfterEach
	void closeAndRestore() {
		this.dataSource.close();
		this.infrastructure.script("switchover", "db1");
	}

	@Test
	void findsTheWritableNodeAndFollowsItThroughASwitchover() throws SQLException {
		Database db1 = this.infrastructure.nodes().get(0);
		Database db2 = this.infrastructure.nodes().get(1);
		assertThat(serverPort()).isEqualTo(db1.port());
		this.jdbc.update("INSERT INTO harness.failover_probe VALUES (?)", System.nanoTime());
		assertThat(this.meters.get("db.primary.semisync").gauge().value()).as("semi-sync on").isEqualTo(1);

		this.infrastructure.script("switchover", "db2");

		// the pooled connections still reach db1, now read-only: a refusal that says
		// retry
		// (503), then the pool moves
		Awaitility.await("writes reach db2")
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.ignoreException(TransientDataAccessResourceException.class)
			.ignoreException(org.springframework.jdbc.CannotGetJdbcConnectionException.class)
			.until(() -> this.jdbc.update("INSERT INTO harness.failover_probe VALUES (?)", System.nanoTime()) == 1
					&& serverPort() == db2.port());
		assertThat(this.dataSource.primaryAddress()).endsWith(":" + db2.port());
		assertThat(this.meters.get("db.primary.switches").counter().count()).isEqualTo(1);
		assertThat(this.meters.get("db.primary.available").gauge().value()).isEqualTo(1);
	}

	@Test
	void refusesAtOnceWhileNoNodeIsWritable() {
		FailoverDataSource nowhere = new FailoverDataSource(
				new DatabaseNodes("jdbc:mariadb://127.0.0.1:1/harness", java.util.List.of()), new HikariConfig(),
				Duration.ofSeconds(1), null, Clock.systemUTC());
		try {
			assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(nowhere::getConnection)
				.withMessageContaining("No writable primary among 127.0.0.1:1");
		}
		finally {
			nowhere.close();
		}
	}

	private int serverPort() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT @@port")) {
			result.next();
			return result.getInt(1);
		}
	}

}
