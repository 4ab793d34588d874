package dev.sysdesign.worker.reports.web;

import java.time.LocalDate;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.sysdesign.support.identity.RequiresRole;
import dev.sysdesign.worker.reports.DailyReport;
import dev.sysdesign.worker.reports.DailyReports;
import dev.sysdesign.worker.reports.ReportNotGeneratedException;

/**
 * {@code GET /api/reports/daily?date=YYYY-MM-DD} (role ADMIN): the daily report of a UTC
 * date; 404 until the job generated it.
 */
@RestController
class ReportController {

	private final DailyReports reports;

	ReportController(DailyReports reports) {
		this.reports = reports;
	}

	@GetMapping("/api/reports/daily")
	@RequiresRole("ADMIN")
	DailyReport daily(@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
		return this.reports.find(date).orElseThrow(() -> new ReportNotGeneratedException(date));
	}

}
