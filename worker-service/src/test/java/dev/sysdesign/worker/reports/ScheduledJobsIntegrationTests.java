package dev.sysdesign.worker.reports;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.worker.WorkerServiceApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two worker instances share the cluster-wide jobs: with a cron every two seconds, every
 * slot runs exactly once (on one of them), and missing reports of past days are caught up
 * at start-up.
 */
class ScheduledJobsIntegrationTests {

	final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	@AfterEach
	void stop() {
		this.instances.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void twoInstancesRunEachSlotOnceAndCatchUpMissedDays() {
		LocalDateTime start = LocalDateTime.now(ZoneOffset.UTC);
		JdbcClient jdbc = primary();
		LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
		List<LocalDate> missed = List.of(yesterday.minusDays(3), yesterday.minusDays(2), yesterday.minusDays(1));
		missed.forEach((date) -> jdbc.sql("DELETE FROM daily_report WHERE report_date = ?").param(date).update());

		this.instances.add(start("a"));
		this.instances.add(start("b"));

		Awaitility.await("at least four slots of the job")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> slots(jdbc, start).size() >= 4);
		Map<LocalDateTime, Long> slots = slots(jdbc, start);
		assertThat(slots).allSatisfy((slot, runs) -> assertThat(runs).as("runs of slot " + slot).isEqualTo(1));
		assertThat(jdbc.sql("SELECT COUNT(*) FROM job_run WHERE job = 'daily-report-catch-up' AND started_at >= ?")
			.param(start)
			.query(Long.class)
			.single()).isGreaterThanOrEqualTo(1);
		missed.forEach((date) -> assertThat(jdbc.sql("SELECT COUNT(*) FROM daily_report WHERE report_date = ?")
			.param(date)
			.query(Long.class)
			.single()).as("report of " + date).isEqualTo(1));
	}

	private static Map<LocalDateTime, Long> slots(JdbcClient jdbc, LocalDateTime since) {
		Map<LocalDateTime, Long> slots = new java.util.TreeMap<>();
		jdbc.sql("SELECT slot, COUNT(*) AS runs FROM job_run WHERE job = 'daily-report' AND slot >= ? GROUP BY slot")
			.param(since)
			.query((rs, n) -> slots.put(rs.getObject("slot", LocalDateTime.class), rs.getLong("runs")))
			.list();
		return slots;
	}

	private static ConfigurableApplicationContext start(String name) {
		List<String> arguments = new ArrayList<>();
		PlatformInfrastructure.get()
			.springProperties("worker", java.util.Set.of())
			.forEach((key, value) -> arguments.add("--" + key + "=" + value));
		arguments
			.addAll(List.of("--server.port=0", "--management.server.port=0", "--spring.application.name=worker-" + name,
					"--platform.scheduler.enabled=true", "--platform.scheduler.polling-interval=200ms",
					"--worker.reports.cron=*/2 * * * * *", "--worker.messaging.consumers=1"));
		return new SpringApplicationBuilder(WorkerServiceApplication.class).run(arguments.toArray(String[]::new));
	}

	private static JdbcClient primary() {
		var primary = PlatformInfrastructure.get().primary();
		var dataSource = new org.springframework.jdbc.datasource.DriverManagerDataSource(primary.jdbcUrl("worker"),
				"worker", "worker");
		return JdbcClient.create(dataSource);
	}

}
