package dev.sysdesign.worker.reports;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The orders of one UTC date (by the time they were placed), as the worker processed
 * them.
 *
 * @param date the date
 * @param orders orders placed that day
 * @param confirmed of which paid
 * @param rejected of which declined or timed out
 * @param cancelled of which cancelled by their owners (never counted as confirmed)
 * @param revenueCents the total of the confirmed orders
 * @param generatedAt when the report was computed
 */
public record DailyReport(LocalDate date, long orders, long confirmed, long rejected, long cancelled, long revenueCents,
		Instant generatedAt) {
}
