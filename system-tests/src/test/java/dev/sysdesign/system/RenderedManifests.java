package dev.sysdesign.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.Yaml;

import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The objects each deployment variant of {@code k8s/} renders with
 * {@code kubectl kustomize}, rendered once per test run: every overlay, and an overlay
 * with a component ({@code demo+ingress-nginx}). Also the accessors the manifest tests
 * share for walking rendered objects.
 */
final class RenderedManifests {

	/** Every overlay and variant a cluster may be given. */
	static final List<String> VARIANTS = List.of("demo", "production", "managed", "demo+ingress-nginx");

	private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

	private RenderedManifests() {
	}

	static Path root() {
		return PlatformInfrastructure.repositoryRoot();
	}

	/**
	 * The rendered objects of a variant: an overlay's directory name, or
	 * {@code overlay+component}.
	 * @param variant the variant
	 * @return its objects
	 */
	static Manifests render(String variant) {
		return RENDERED.computeIfAbsent(variant, RenderedManifests::kustomize);
	}

	/**
	 * The directory {@code kubectl kustomize} renders for a variant: the overlay itself,
	 * or a kustomization outside the tree that adds the component to it.
	 */
	static Path directory(String variant) {
		String[] parts = variant.split("\\+", 2);
		Path overlay = root().resolve("k8s/overlays").resolve(parts[0]);
		assertThat(overlay).as("overlay " + parts[0]).isDirectory();
		if (parts.length == 1) {
			return overlay;
		}
		Path component = root().resolve("k8s/components").resolve(parts[1]);
		assertThat(component).as("component " + parts[1]).isDirectory();
		try {
			// kustomize refuses absolute paths: the variant lives in the build directory,
			// next to the tree
			Path directory = root().resolve("system-tests/target/kustomize-variants").resolve(variant);
			Files.createDirectories(directory);
			Files.writeString(directory.resolve("kustomization.yaml"), """
					apiVersion: kustomize.config.k8s.io/v1beta1
					kind: Kustomization
					resources:
					  - %s
					components:
					  - %s
					""".formatted(directory.relativize(overlay), directory.relativize(component)));
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Runs a command and answers its standard output; fails with its errors otherwise.
	 */
	static String run(List<String> command, String what) {
		Process process;
		try {
			process = new ProcessBuilder(command).start();
		}
		catch (IOException ex) {
			throw new AssertionError(command.get(0) + " is not installed (or not on the PATH); .ci/run installs "
					+ "what the manifest checks need (" + ex.getMessage() + ")", ex);
		}
		try {
			closeQuietly(process);
			CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
			String output = read(process.getInputStream());
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(what + " finished").isTrue();
			assertThat(process.exitValue()).as(what + " failed:\n" + output + errors.join()).isZero();
			return output;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			process.destroy();
		}
	}

	private static void closeQuietly(Process process) {
		try {
			process.getOutputStream().close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Manifests kustomize(String variant) {
		Path directory = directory(variant);
		String output = run(List.of("kubectl", "kustomize", directory.toString()), "kubectl kustomize " + directory);
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Object document : new Yaml().loadAll(output)) {
			if (document instanceof Map<?, ?>) {
				objects.add(map(document));
			}
		}
		assertThat(objects).as("objects rendered from " + directory).isNotEmpty();
		return new Manifests(variant, objects, output);
	}

	private static String read(InputStream stream) {
		try (stream) {
			return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String name(Map<String, Object> object) {
		Object name = object.containsKey("metadata") ? path(object, "metadata", "name") : object.get("name");
		return (name != null) ? name.toString() : "";
	}

	static int intValue(Object value) {
		assertThat(value).as("a number").isInstanceOf(Number.class);
		return ((Number) value).intValue();
	}

	static Object path(Object root, String... keys) {
		Object current = root;
		for (String key : keys) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(key);
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (value instanceof Map<?, ?>) ? (Map<String, Object>) value : Map.of();
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		return (value instanceof List<?>) ? (List<Object>) value : List.of();
	}

	static List<Map<String, Object>> maps(Object value) {
		return list(value).stream().map(RenderedManifests::map).toList();
	}

	static List<String> strings(Object value) {
		return list(value).stream().map(String::valueOf).toList();
	}

	/**
	 * The objects one variant renders.
	 *
	 * @param variant the overlay (and component) rendered
	 * @param objects the rendered objects
	 * @param yaml the rendered text
	 */
	record Manifests(String variant, List<Map<String, Object>> objects, String yaml) {

		String overlay() {
			return this.variant;
		}

		List<Map<String, Object>> all(String kind) {
			return this.objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
		}

		/** The object of a kind and name, empty when there is none. */
		Map<String, Object> get(String kind, String name) {
			return all(kind).stream().filter((object) -> name.equals(name(object))).findFirst().orElse(Map.of());
		}

	}

}
