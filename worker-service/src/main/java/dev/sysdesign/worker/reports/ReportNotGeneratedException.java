package dev.sysdesign.worker.reports;

import java.time.LocalDate;

/**
 * The report of a date has not been generated yet (404).
 */
public class ReportNotGeneratedException extends RuntimeException {

	private final LocalDate date;

	public ReportNotGeneratedException(LocalDate date) {
		super("No report for " + date + " yet");
		this.date = date;
	}

	public LocalDate date() {
		return this.date;
	}

}
