package dev.sysdesign.worker.reports;

import java.time.LocalDate;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.support.problem.ProblemException;

/**
 * The report of a date has not been generated yet (404).
 */
public class ReportNotGeneratedException extends ProblemException {

	public ReportNotGeneratedException(LocalDate date) {
		super(404, ProblemTypes.REPORT_NOT_GENERATED, "Report not generated",
				"The report of " + date + " has not been generated yet.");
		property("date", date.toString());
	}

}
