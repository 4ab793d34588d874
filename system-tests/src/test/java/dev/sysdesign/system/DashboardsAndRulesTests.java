package dev.sysdesign.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboards and alert rules as code, checked with Prometheus's own tool
 * ({@code promtool}, Debian's {@code prometheus} package): the rules are valid and pass
 * their unit tests ({@code infra/prometheus/rules/tests}), every dashboard expression
 * parses, every alert says how bad it is and what to look at, and compose provisions
 * exactly these files. That the expressions read only metrics the services expose is
 * checked against the running services by {@code OrderProcessingIntegrationTests}.
 */
class DashboardsAndRulesTests {

	@Test
	void alertAndRecordingRulesAreValid() {
		List<String> arguments = new ArrayList<>(List.of("check", "rules"));
		Observability.ruleFiles().forEach((file) -> arguments.add(file.toString()));
		Observability.Result result = Observability.promtool(arguments);
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void alertRulesPassTheirUnitTests() {
		List<String> arguments = new ArrayList<>(List.of("test", "rules"));
		List<Path> tests = Observability.ruleTests();
		assertThat(tests).as("rule tests").isNotEmpty();
		tests.forEach((file) -> arguments.add(file.toString()));
		Observability.Result result = Observability.promtool(arguments);
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	@SuppressWarnings("unchecked")
	void everyAlertIsTestedAndSaysHowBadItIsAndWhatToLookAt() throws Exception {
		Set<String> tested = new HashSet<>();
		for (Path test : Observability.ruleTests()) {
			String text = Files.readString(test);
			java.util.regex.Matcher alert = java.util.regex.Pattern.compile("alertname: (\\w+)").matcher(text);
			while (alert.find()) {
				tested.add(alert.group(1));
			}
		}
		for (Path file : Observability.ruleFiles()) {
			Map<String, Object> rules = new Yaml().load(Files.readString(file));
			for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
				for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
					Object alert = rule.get("alert");
					if (alert == null) {
						continue;
					}
					assertThat(tested).as(alert + " has a unit test").contains((String) alert);
					assertThat((Map<String, Object>) rule.get("labels")).as(alert + " severity")
						.containsKey("severity")
						.extractingByKey("severity")
						.isIn("page", "ticket");
					assertThat((Map<String, Object>) rule.get("annotations")).as(alert + " annotations")
						.containsKeys("summary", "description");
				}
			}
		}
	}

	@Test
	void everyDashboardExpressionParses() {
		Map<String, String> expressions = Observability.dashboardExpressions();
		assertThat(expressions).as("dashboard expressions").hasSizeGreaterThan(40);
		Observability.Result result = Observability.parse(expressions);
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void dashboardsAreUniqueUseTheProvisionedDatasourceAndAreProvisionedFromTheRepository() throws Exception {
		Set<String> uids = new HashSet<>();
		for (Path file : Observability.dashboards()) {
			JsonNode dashboard = Observability.dashboard(file);
			assertThat(uids.add(dashboard.path("uid").asString())).as(file + " uid is unique").isTrue();
			assertThat(dashboard.path("title").asString()).as(file + " title").isNotBlank();
			for (JsonNode panel : Observability.panels(dashboard)) {
				if (!panel.path("type").asString().equals("row")) {
					assertThat(panel.path("datasource").path("uid").asString())
						.as(file.getFileName() + ": " + panel.path("title").asString() + " datasource")
						.isEqualTo("prometheus");
				}
			}
		}
		assertThat(uids).containsExactlyInAnyOrder("sysdesign-overview", "sysdesign-gateway",
				"sysdesign-order-pipeline", "sysdesign-database", "sysdesign-jvm");
		Path root = Observability.ROOT;
		assertThat(Files.readString(root.resolve("infra/grafana/provisioning/datasources/prometheus.yml")))
			.contains("uid: prometheus");
		assertThat(Files.readString(root.resolve("infra/grafana/provisioning/dashboards/sysdesign.yml")))
			.contains("path: /var/lib/grafana/dashboards/sysdesign");
		String compose = Files.readString(root.resolve("docker-compose.yml"));
		assertThat(compose).contains("./infra/grafana/dashboards:/var/lib/grafana/dashboards/sysdesign:ro")
			.contains("./infra/prometheus/rules:/etc/prometheus/rules:ro");
		assertThat(Files.readString(root.resolve("infra/prometheus/prometheus.yml")))
			.contains("/etc/prometheus/rules/*.yml");
	}

	@Test
	void metricNamesAreTheSeriesAnExpressionReads() {
		assertThat(Observability.metricNames(
				"sum by (application, le) (rate(http_server_requests_seconds_bucket{status=~\"5..\", uri!=\"/x\"}[5m]))"
						+ " / ignoring(le) group_left sum(rate(foo_total[1h] offset 5m)) > 0.5 * 1e3 and on(a) up"))
			.containsExactlyInAnyOrder("http_server_requests_seconds_bucket", "foo_total", "up");
		assertThat(Observability.metricNames("max(dead_letters_pending) > 0")).containsExactly("dead_letters_pending");
		assertThat(Observability.matchedLabels("rate(a_total{status=~\"5..\", x!=\"{=}\"}[5m]) / b{le=\"0.5\"}"))
			.containsEntry("a_total", Set.of("status", "x"))
			.containsEntry("b", Set.of("le"));
		assertThat(Observability.exposedLabels("# TYPE a counter\na_total{status=\"200\",uri=\"/x\"} 1.0\nb 2\n"))
			.containsEntry("a_total", Set.of("job", "instance", "status", "uri"))
			.containsEntry("b", Set.of("job", "instance"));
	}

}
