package dev.sysdesign.orders.database;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Answers queries with rows recorded from a real server, and remembers what was asked.
 */
final class RecordedSql implements DatabaseDialect.Sql {

	private final Map<String, @Nullable Map<String, @Nullable String>> answers = new LinkedHashMap<>();

	final List<String> queries = new ArrayList<>();

	final List<List<Object>> parameters = new ArrayList<>();

	RecordedSql answer(String query, @Nullable Map<String, @Nullable String> row) {
		this.answers.put(query, row);
		return this;
	}

	@Override
	public @Nullable Map<String, @Nullable String> firstRow(String query, Object... parameters) {
		this.queries.add(query);
		this.parameters.add(Arrays.asList(parameters));
		if (!this.answers.containsKey(query)) {
			throw new AssertionError("Unexpected query: " + query);
		}
		return this.answers.get(query);
	}

}
