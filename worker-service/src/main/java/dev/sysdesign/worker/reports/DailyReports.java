package dev.sysdesign.worker.reports;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Computes and stores the daily reports from {@code order_state}. Computing a date again
 * rewrites its row with the same figures (plus what arrived late): idempotent per date.
 */
@Service
public class DailyReports {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final ReportProperties properties;

	DailyReports(JdbcClient jdbc, Clock clock, ReportProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	/**
	 * Computes and stores the report of a date.
	 * @param date the UTC date
	 * @return the report
	 */
	public DailyReport generate(LocalDate date) {
		LocalDateTime from = date.atStartOfDay();
		LocalDateTime to = date.plusDays(1).atStartOfDay();
		LocalDateTime now = LocalDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		DailyReport report = this.jdbc
			.sql("SELECT COUNT(*) AS orders, "
					+ "COALESCE(SUM(CASE WHEN status = 'CONFIRMED' THEN 1 ELSE 0 END), 0) AS confirmed, "
					+ "COALESCE(SUM(CASE WHEN status = 'REJECTED' THEN 1 ELSE 0 END), 0) AS rejected, "
					+ "COALESCE(SUM(CASE WHEN status = 'CANCELLED' THEN 1 ELSE 0 END), 0) AS cancelled, "
					+ "COALESCE(SUM(CASE WHEN status = 'CONFIRMED' THEN total_cents ELSE 0 END), 0) AS revenue "
					+ "FROM order_state WHERE placed_at >= ? AND placed_at < ?")
			.params(from, to)
			.query((rs, n) -> new DailyReport(date, rs.getLong("orders"), rs.getLong("confirmed"),
					rs.getLong("rejected"), rs.getLong("cancelled"), rs.getLong("revenue"),
					now.toInstant(ZoneOffset.UTC)))
			.single();
		this.jdbc
			.sql("REPLACE INTO daily_report (report_date, orders, confirmed, rejected, cancelled, revenue_cents, "
					+ "generated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
			.params(date, report.orders(), report.confirmed(), report.rejected(), report.cancelled(),
					report.revenueCents(), now)
			.update();
		return report;
	}

	/**
	 * Generates yesterday's report, and every report of the last {@code catch-up-days}
	 * days that is missing (the job did not run then).
	 * @return the dates generated
	 */
	public List<LocalDate> generateDue() {
		LocalDate yesterday = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC).minusDays(1);
		LocalDate first = yesterday.minusDays(Math.max(0, this.properties.catchUpDays() - 1));
		Set<LocalDate> present = new HashSet<>(
				this.jdbc.sql("SELECT report_date FROM daily_report WHERE report_date >= ? AND report_date <= ?")
					.params(first, yesterday)
					.query((rs, n) -> rs.getObject("report_date", LocalDate.class))
					.list());
		List<LocalDate> generated = new ArrayList<>();
		for (LocalDate date = first; !date.isAfter(yesterday); date = date.plusDays(1)) {
			if (date.equals(yesterday) || !present.contains(date)) {
				generate(date);
				generated.add(date);
			}
		}
		return generated;
	}

	/**
	 * The stored report of a date.
	 * @param date the UTC date
	 * @return the report, empty when not generated yet
	 */
	public Optional<DailyReport> find(LocalDate date) {
		return this.jdbc
			.sql("SELECT report_date, orders, confirmed, rejected, cancelled, revenue_cents, generated_at "
					+ "FROM daily_report WHERE report_date = ?")
			.param(date)
			.query((rs, n) -> new DailyReport(rs.getObject("report_date", LocalDate.class), rs.getLong("orders"),
					rs.getLong("confirmed"), rs.getLong("rejected"), rs.getLong("cancelled"),
					rs.getLong("revenue_cents"),
					rs.getObject("generated_at", LocalDateTime.class).toInstant(ZoneOffset.UTC)))
			.optional();
	}

}
