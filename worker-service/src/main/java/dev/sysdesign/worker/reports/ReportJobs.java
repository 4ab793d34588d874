package dev.sysdesign.worker.reports;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.ApplicationListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

import dev.sysdesign.support.scheduling.ClusterScheduler;

/**
 * The batch jobs of the worker-service, run once per slot across its instances by the
 * cluster scheduler (db-scheduler on the {@code worker} schema):
 * <ul>
 * <li>{@value #DAILY_REPORT}: at {@code worker.reports.cron} (02:00 UTC by default), the
 * report of the day before, plus any missing report of the last days;</li>
 * <li>{@value #CATCH_UP}: the same, once at start-up (one instance of a fleet starting
 * together runs it), so days missed while no worker ran are filled in at once.</li>
 * </ul>
 * Every run is logged in {@code job_run} with its slot and instance.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReportProperties.class)
class ReportJobs {

	static final String DAILY_REPORT = "daily-report";

	static final String CATCH_UP = "daily-report-catch-up";

	private static final Logger log = LoggerFactory.getLogger(ReportJobs.class);

	@Bean
	RecurringTask<Void> dailyReportTask(DailyReports reports, ReportProperties properties, JdbcClient jdbc) {
		return Tasks.recurring(DAILY_REPORT, Schedules.cron(properties.cron(), ZoneOffset.UTC))
			.execute((instance, context) -> run(DAILY_REPORT, context, reports, jdbc));
	}

	@Bean
	OneTimeTask<Void> dailyReportCatchUpTask(DailyReports reports, JdbcClient jdbc) {
		return Tasks.oneTime(CATCH_UP).execute((instance, context) -> run(CATCH_UP, context, reports, jdbc));
	}

	/**
	 * Schedules the catch-up when the instance is ready; with several instances starting
	 * together, the first one's schedule wins and one of them runs it.
	 */
	@Bean
	ApplicationListener<ApplicationReadyEvent> dailyReportCatchUpAtStartUp(ObjectProvider<ClusterScheduler> scheduler,
			OneTimeTask<Void> dailyReportCatchUpTask, Clock clock) {
		return (event) -> scheduler.ifAvailable((running) -> running.scheduler()
			.scheduleIfNotExists(dailyReportCatchUpTask.instance("start-up"), clock.instant()));
	}

	private static void run(String job, ExecutionContext context, DailyReports reports, JdbcClient jdbc) {
		LocalDateTime slot = LocalDateTime.ofInstant(context.getExecution().executionTime, ZoneOffset.UTC);
		String instance = String.valueOf(context.getExecution().pickedBy);
		KeyHolder runId = new GeneratedKeyHolder();
		jdbc.sql("INSERT INTO job_run (job, slot, instance, started_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))")
			.params(job, slot, instance)
			.update(runId);
		List<?> generated = reports.generateDue();
		jdbc.sql("UPDATE job_run SET finished_at = UTC_TIMESTAMP(3) WHERE id = ?").param(runId.getKey()).update();
		log.info("{} for slot {} on {}: generated {}", job, slot, instance, generated);
	}

}
