package dev.sysdesign.support.metrics;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A gauge whose value a SQL query answers, refreshed periodically by
 * {@link DatabaseGauges} (declare it as a bean).
 *
 * @param name the meter's name
 * @param description what it measures
 * @param baseUnit its unit ({@code seconds}, ...), or {@code null}
 * @param sql the query: one row with one number, or, with a tag, rows of (tag value,
 * number)
 * @param tag the tag whose values the query's rows name, or {@code null}
 * @param tagValues every value of the tag, each a gauge from the start (0 while the query
 * returns no row for it)
 */
public record DatabaseGauge(String name, String description, @Nullable String baseUnit, String sql,
		@Nullable String tag, List<String> tagValues) {

	public DatabaseGauge {
		tagValues = List.copyOf(tagValues);
		if ((tag == null) != tagValues.isEmpty()) {
			throw new IllegalArgumentException(name + ": a tag needs its values, values need a tag");
		}
	}

	/**
	 * A gauge of one number.
	 * @param name the meter's name
	 * @param description what it measures
	 * @param baseUnit its unit, or {@code null}
	 * @param sql a query answering one row with one number
	 * @return the gauge
	 */
	public static DatabaseGauge of(String name, String description, @Nullable String baseUnit, String sql) {
		return new DatabaseGauge(name, description, baseUnit, sql, null, List.of());
	}

	/**
	 * A gauge per value of a tag.
	 * @param name the meter's name
	 * @param description what it measures
	 * @param sql a query answering rows of (tag value, number)
	 * @param tag the tag
	 * @param tagValues every value of the tag
	 * @return the gauge
	 */
	public static DatabaseGauge byTag(String name, String description, String sql, String tag, List<String> tagValues) {
		return new DatabaseGauge(name, description, null, sql, tag, tagValues);
	}

}
