package dev.sysdesign.worker.reports;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The daily report job ({@code worker.reports.*}).
 *
 * @param cron when the job runs (six fields, UTC; default 02:00, the off-peak hour);
 * {@code -} turns it off
 * @param catchUpDays how many past days a run (and the start-up catch-up) fills in when
 * their report is missing
 */
@ConfigurationProperties("worker.reports")
public record ReportProperties(@DefaultValue("0 0 2 * * *") String cron, @DefaultValue("31") int catchUpDays) {

}
