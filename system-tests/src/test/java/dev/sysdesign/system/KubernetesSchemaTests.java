package dev.sysdesign.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.sysdesign.system.RenderedManifests.Manifests;

import static dev.sysdesign.system.RenderedManifests.map;
import static dev.sysdesign.system.RenderedManifests.render;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every object of every variant of {@code k8s/} is valid against its schema, offline and
 * strictly (unknown fields fail, as with the API server's strict field validation):
 * {@code k8s/validation/validate.mjs} with the kubernetes-models packages for Kubernetes,
 * Gateway API, cert-manager and the Prometheus Operator, and the operators' CRD schemas
 * in {@code k8s/schemas}. Needs Node.js and {@code npm ci} in {@code k8s/validation},
 * which {@code .ci/run} does.
 */
class KubernetesSchemaTests {

	private static final Path VALIDATION = RenderedManifests.root().resolve("k8s/validation");

	@Test
	void everyVariantValidatesStrictlyAgainstTheSchemas() throws Exception {
		List<Path> files = new ArrayList<>();
		for (String variant : RenderedManifests.VARIANTS) {
			files.add(write(variant, render(variant).yaml()));
		}
		Result result = validate(files);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).containsPattern("validated \\d{3,} objects, 0 problems");
	}

	@Test
	void unknownFieldsAndKindsFailValidation() throws Exception {
		Manifests demo = render("demo");
		Map<String, Object> deployment = copy(demo.get("Deployment", "order-service"));
		map(deployment.get("spec")).put("replicaz", 3);
		Map<String, Object> gateway = copy(demo.get("Gateway", "sysdesign"));
		map(gateway.get("spec")).put("listenerz", List.of());
		Map<String, Object> database = copy(render("production").get("MariaDB", "sysdesign-db"));
		map(map(database.get("spec")).get("replication")).put("autoFailovr", true);
		Map<String, Object> unknown = Map.of("apiVersion", "example.com/v1", "kind", "Widget", "metadata",
				Map.of("name", "widget"));
		Path file = write("invalid", new Yaml().dumpAll(List.of(deployment, gateway, database, unknown).iterator()));
		Result result = validate(List.of(file));
		assertThat(result.exitCode()).as("a manifest with unknown fields must not validate").isOne();
		assertThat(result.output()).contains("Deployment order-service: /spec/replicaz: unknown field")
			.contains("Gateway sysdesign: /spec/listenerz: unknown field")
			.contains("MariaDB sysdesign-db: /spec/replication/autoFailovr: unknown field")
			.contains("Widget widget: no schema for example.com/v1 Widget")
			.contains("validated 4 objects, 4 problems");
	}

	private static Path write(String name, String yaml) throws IOException {
		Path directory = RenderedManifests.root().resolve("system-tests/target/kustomize-variants");
		Files.createDirectories(directory);
		return Files.writeString(directory.resolve(name + ".yaml"), yaml);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> copy(Map<String, Object> object) {
		assertThat(object).as("the object to spoil").isNotEmpty();
		Yaml yaml = new Yaml();
		return (Map<String, Object>) yaml.load(yaml.dump(new LinkedHashMap<>(object)));
	}

	private static Result validate(List<Path> files) throws Exception {
		assertThat(VALIDATION.resolve("node_modules/kubernetes-models"))
			.as("the validator's packages are not installed: run `npm ci` in k8s/validation (.ci/run does)")
			.isDirectory();
		List<String> command = new ArrayList<>(List.of("node", VALIDATION.resolve("validate.mjs").toString()));
		files.forEach((file) -> command.add(file.toString()));
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new AssertionError("Node.js is not installed (or not on the PATH): the schema validation of k8s/ "
					+ "needs it; .ci/run installs it", ex);
		}
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("validate.mjs finished").isTrue();
		return new Result(process.exitValue(), output);
	}

	private record Result(int exitCode, String output) {
	}

}
