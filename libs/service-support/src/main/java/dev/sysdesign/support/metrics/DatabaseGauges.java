package dev.sysdesign.support.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Gauges that need SQL ({@link DatabaseGauge}), computed by one background thread
 * ({@link #refresh()} run by a {@code BackgroundRefresh}), each query bounded by a
 * timeout: a scrape reads the last values and never waits for the database, and a slow or
 * hung database costs the refresh thread at most the timeout per query (then the driver's
 * socket timeout), never a scrape. A query that fails sets its gauges to NaN until it
 * answers again, so a stale figure is never shown as current.
 */
public final class DatabaseGauges {

	private static final Logger log = LoggerFactory.getLogger(DatabaseGauges.class);

	private final JdbcTemplate jdbc;

	private final Map<DatabaseGauge, Map<String, AtomicLong>> values = new LinkedHashMap<>();

	private Instant lastWarning = Instant.EPOCH;

	/**
	 * Registers the gauges (NaN until the first refresh).
	 * @param jdbc the database, with its query timeout set
	 * @param meters where the gauges are registered
	 * @param gauges the gauges
	 */
	public DatabaseGauges(JdbcTemplate jdbc, MeterRegistry meters, List<DatabaseGauge> gauges) {
		this.jdbc = jdbc;
		for (DatabaseGauge gauge : gauges) {
			Map<String, AtomicLong> byTag = new LinkedHashMap<>();
			for (String value : (gauge.tag() != null) ? gauge.tagValues() : List.of("")) {
				AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
				Gauge.Builder<AtomicLong> builder = Gauge
					.builder(gauge.name(), bits, (holder) -> Double.longBitsToDouble(holder.get()))
					.description(gauge.description())
					.baseUnit(gauge.baseUnit());
				if (gauge.tag() != null) {
					builder.tag(gauge.tag(), value);
				}
				builder.register(meters);
				byTag.put(value, bits);
			}
			this.values.put(gauge, byTag);
		}
	}

	/**
	 * Runs every query once and updates the gauges.
	 */
	public void refresh() {
		this.values.forEach((gauge, byTag) -> {
			Map<String, Double> answers;
			try {
				answers = query(gauge);
			}
			catch (DataAccessException ex) {
				warn(gauge, ex);
				byTag.values().forEach((bits) -> bits.set(Double.doubleToLongBits(Double.NaN)));
				return;
			}
			byTag.forEach((tag, bits) -> bits.set(Double.doubleToLongBits(answers.getOrDefault(tag, 0.0))));
		});
	}

	private Map<String, Double> query(DatabaseGauge gauge) {
		Map<String, Double> answers = new HashMap<>();
		this.jdbc.query(gauge.sql(), (row) -> {
			if (gauge.tag() != null) {
				answers.put(row.getString(1), row.getDouble(2));
			}
			else {
				answers.put("", row.getDouble(1));
			}
		});
		return answers;
	}

	private void warn(DatabaseGauge gauge, DataAccessException ex) {
		Instant now = Instant.now();
		if (Duration.between(this.lastWarning, now).toMinutes() >= 1) {
			this.lastWarning = now;
			log.warn("Gauge {} not refreshed (NaN until the database answers): {}", gauge.name(), ex.toString());
		}
	}

}
