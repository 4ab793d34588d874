package dev.sysdesign.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sysdesign.testing.PlatformInfrastructure;

/**
 * The dashboards ({@code infra/grafana/dashboards}) and alert rules
 * ({@code infra/prometheus/rules}) as data: every PromQL expression they hold, by where
 * it is, the metric names an expression reads, and Prometheus's own {@code promtool} to
 * parse and unit-test them.
 */
final class Observability {

	static final Path ROOT = PlatformInfrastructure.repositoryRoot();

	static final Path DASHBOARDS = ROOT.resolve("infra/grafana/dashboards");

	static final Path RULES = ROOT.resolve("infra/prometheus/rules");

	/** Series Prometheus makes itself, for every target or from the rules. */
	static final Set<String> SYNTHETIC = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS",
			"ALERTS_FOR_STATE");

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Grafana's variables, replaced before an expression is parsed. */
	private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(__rate_interval|__interval|__range)}?");

	private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?");

	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
			"bool", "and", "or", "unless", "offset", "inf", "nan", "Inf", "NaN");

	private Observability() {
	}

	/**
	 * Every expression of the dashboards and the rules, by where it is (file and panel or
	 * rule), with Grafana's variables replaced by values Prometheus accepts.
	 * @return expressions by location
	 */
	static Map<String, String> expressions() {
		Map<String, String> expressions = new LinkedHashMap<>(dashboardExpressions());
		expressions.putAll(ruleExpressions());
		return expressions;
	}

	static Map<String, String> dashboardExpressions() {
		Map<String, String> expressions = new LinkedHashMap<>();
		for (Path file : files(DASHBOARDS, ".json")) {
			JsonNode dashboard = json.readTree(read(file));
			for (JsonNode panel : panels(dashboard)) {
				int i = 0;
				for (JsonNode target : panel.path("targets")) {
					String expr = target.path("expr").asString("");
					if (!expr.isBlank()) {
						expressions.put(file.getFileName() + ": " + panel.path("title").asString() + " #" + i++,
								substitute(expr));
					}
				}
			}
			for (JsonNode variable : dashboard.path("templating").path("list")) {
				String query = variable.path("query").isObject() ? variable.path("query").path("query").asString("")
						: variable.path("query").asString("");
				Matcher labelValues = Pattern.compile("label_values\\((.+),\\s*[a-zA-Z_]+\\)").matcher(query);
				if (labelValues.matches()) {
					expressions.put(file.getFileName() + ": variable " + variable.path("name").asString(),
							substitute(labelValues.group(1)));
				}
			}
		}
		return expressions;
	}

	@SuppressWarnings("unchecked")
	static Map<String, String> ruleExpressions() {
		Map<String, String> expressions = new LinkedHashMap<>();
		for (Path file : ruleFiles()) {
			Map<String, Object> rules = new Yaml().load(read(file));
			for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
				for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
					String name = String.valueOf(rule.getOrDefault("alert", rule.get("record")));
					expressions.put(file.getFileName() + ": " + name, String.valueOf(rule.get("expr")));
				}
			}
		}
		return expressions;
	}

	/**
	 * The series the rules record (names an expression may read besides scraped ones).
	 */
	@SuppressWarnings("unchecked")
	static Set<String> recordedSeries() {
		Set<String> recorded = new TreeSet<>();
		for (Path file : ruleFiles()) {
			Map<String, Object> rules = new Yaml().load(read(file));
			for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
				for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
					if (rule.get("record") != null) {
						recorded.add(String.valueOf(rule.get("record")));
					}
				}
			}
		}
		return recorded;
	}

	static List<Path> ruleFiles() {
		return files(RULES, ".yml");
	}

	static List<Path> ruleTests() {
		return files(RULES.resolve("tests"), ".yml");
	}

	static List<Path> dashboards() {
		return files(DASHBOARDS, ".json");
	}

	static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			panels.add(panel);
			panel.path("panels").forEach(panels::add);
		}
		return panels;
	}

	static JsonNode dashboard(Path file) {
		return json.readTree(read(file));
	}

	/**
	 * The metric names an expression reads: identifiers that are not functions,
	 * aggregations, keywords, label names or values, durations or numbers.
	 * @param expression a PromQL expression
	 * @return metric names
	 */
	static Set<String> metricNames(String expression) {
		String stripped = expression.replaceAll("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'|`[^`]*`", "\"\"")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^\\]]*]", " ")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
			.replaceAll("(?<![A-Za-z0-9_:])[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?([smhdwy]|ms)?", " ");
		Set<String> names = new TreeSet<>();
		Matcher identifier = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*(\\s*\\()?").matcher(stripped);
		while (identifier.find()) {
			String token = identifier.group();
			if (!token.endsWith("(") && !KEYWORDS.contains(token)) {
				names.add(token);
			}
		}
		return names;
	}

	/**
	 * The label names an expression's selectors match on, by metric name.
	 * @param expression a PromQL expression
	 * @return label names by metric
	 */
	static Map<String, Set<String>> matchedLabels(String expression) {
		String withoutStrings = expression.replaceAll("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'", "\"\"");
		Map<String, Set<String>> labels = new LinkedHashMap<>();
		Matcher selector = Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)\\s*\\{([^}]*)}").matcher(withoutStrings);
		while (selector.find()) {
			Matcher label = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)").matcher(selector.group(2));
			while (label.find()) {
				labels.computeIfAbsent(selector.group(1), (name) -> new TreeSet<>()).add(label.group(1));
			}
		}
		return labels;
	}

	/**
	 * The label names of each series name in Prometheus's text format, with the labels
	 * Prometheus adds to every scraped series ({@code job}, {@code instance}).
	 * @param exposition the scrape
	 * @return label names by series name
	 */
	static Map<String, Set<String>> exposedLabels(String exposition) {
		Map<String, Set<String>> labels = new LinkedHashMap<>();
		Matcher series = Pattern.compile("(?m)^([A-Za-z_:][A-Za-z0-9_:]*)(\\{([^}]*)})?").matcher(exposition);
		while (series.find()) {
			Set<String> names = labels.computeIfAbsent(series.group(1),
					(name) -> new TreeSet<>(Set.of("job", "instance")));
			if (series.group(3) != null) {
				Matcher label = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"").matcher(series.group(3));
				while (label.find()) {
					names.add(label.group(1));
				}
			}
		}
		return labels;
	}

	/**
	 * The series names a service exposes in Prometheus's text format.
	 * @param exposition the scrape
	 * @return names (with {@code _total}, {@code _bucket}, ... as exposed)
	 */
	static Set<String> exposedNames(String exposition) {
		Set<String> names = new TreeSet<>();
		for (String line : exposition.split("\n")) {
			if (!line.isBlank() && !line.startsWith("#")) {
				Matcher name = Pattern.compile("^[A-Za-z_:][A-Za-z0-9_:]*").matcher(line);
				if (name.find()) {
					names.add(name.group());
				}
			}
		}
		return names;
	}

	private static String substitute(String expression) {
		String withIntervals = VARIABLE.matcher(expression).replaceAll("5m");
		return TEMPLATE_VARIABLE.matcher(withIntervals).replaceAll(".+");
	}

	/**
	 * Runs {@code promtool}, failing with the install hint when it is missing.
	 * @param arguments its arguments
	 * @return exit code and output
	 */
	static Result promtool(List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add("promtool");
		command.addAll(arguments);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("promtool did not finish within 120 s: " + String.join(" ", command));
			}
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new AssertionError("promtool is not installed: install Debian's prometheus package "
					+ "(apt-get install prometheus), which .ci/run installs; the alert rules and dashboards are "
					+ "checked with it", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Parses expressions with Prometheus's own parser: each becomes a recording rule of a
	 * temporary rules file that {@code promtool check rules} reads.
	 * @param expressions expressions by location
	 * @return promtool's answer
	 */
	static Result parse(Map<String, String> expressions) {
		StringBuilder rules = new StringBuilder("groups:\n  - name: parsed\n    rules:\n");
		int i = 0;
		for (String expression : expressions.values()) {
			rules.append("      - record: parsed:expression_")
				.append(i++)
				.append("\n        expr: ")
				.append(json.writeValueAsString(expression))
				.append('\n');
		}
		try {
			Path file = Files.createTempFile("expressions", ".yml");
			Files.writeString(file, rules);
			return promtool(List.of("check", "rules", file.toString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<Path> files(Path directory, String suffix) {
		try (Stream<Path> paths = Files.list(directory)) {
			return paths.filter((path) -> path.toString().endsWith(suffix)).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A run of promtool.
	 *
	 * @param exitCode its exit code
	 * @param output what it printed
	 */
	record Result(int exitCode, String output) {
	}

}
