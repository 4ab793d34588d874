package dev.sysdesign.system;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.sysdesign.system.RenderedManifests.Manifests;
import dev.sysdesign.system.Workloads.PodGroup;

import static dev.sysdesign.system.RenderedManifests.map;
import static dev.sysdesign.system.RenderedManifests.maps;
import static dev.sysdesign.system.RenderedManifests.name;
import static dev.sysdesign.system.RenderedManifests.path;
import static dev.sysdesign.system.RenderedManifests.render;
import static dev.sysdesign.system.RenderedManifests.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policies every deployment variant of {@code k8s/} must meet, checked on the rendered
 * objects (the operators' custom resources included): released images only, third-party
 * images pinned by digest, requests and limits everywhere, Pod Security Standard
 * {@code restricted}, probes on declared ports, selectors that select, a disruption
 * budget for every workload of more than one pod, and network policies that allow exactly
 * the intended paths, computed from the policies themselves
 * ({@link NetworkReachability}).
 */
class KubernetesPolicyTests {

	static final List<String> VARIANTS = RenderedManifests.VARIANTS;

	private static final String GATEWAY = "Deployment/gateway-service";

	private static final Map<String, Integer> API_PORTS = Map.of("order-service", 8081, "worker-service", 8082,
			"session-service", 8083);

	private static final Map<String, Integer> MANAGEMENT_PORTS = Map.of("gateway-service", 8090, "order-service", 8091,
			"worker-service", 8092, "session-service", 8093);

	/**
	 * Third-party images no digest could be resolved for where they were pinned (no
	 * registry access); k8s/pin-image-digests.sh pins them. The list may only shrink.
	 */
	private static final Set<String> UNPINNED = Set.of("docker.io/library/rabbitmq",
			"ghcr.io/mariadb-operator/mariadb-operator", "quay.io/opstree/redis", "quay.io/opstree/redis-sentinel");

	@ParameterizedTest
	@FieldSource("VARIANTS")
	void imagesAreReleasesAndThirdPartyImagesArePinnedByDigest(String variant) throws IOException {
		String release = releaseVersion();
		for (Map.Entry<String, String> image : images(render(variant)).entrySet()) {
			String what = variant + ": " + image.getKey() + " image " + image.getValue();
			Matcher reference = Pattern
				.compile("(?<repository>[^:@]+)(:(?<tag>[^@]+))?(@(?<digest>sha256:[0-9a-f]{64}))?")
				.matcher(image.getValue());
			assertThat(reference.matches()).as(what + " is an image reference").isTrue();
			String repository = reference.group("repository");
			assertThat(reference.group("tag")).as(what + " has a tag").isNotNull().isNotEqualTo("latest");
			if (repository.startsWith("ghcr.io/sysdesign/")) {
				assertThat(reference.group("tag"))
					.as(what + ": the platform's images are releases (the project version) or a git sha")
					.matches(Pattern.quote(release) + "|[0-9a-f]{7,40}");
			}
			else if (!UNPINNED.contains(repository)) {
				assertThat(reference.group("digest")).as(what + " is pinned by digest").isNotNull();
			}
		}
	}

	@ParameterizedTest
	@FieldSource("VARIANTS")
	void everyContainerHasRequestsAndLimits(String variant) {
		for (Map.Entry<String, Map<String, Object>> resources : resources(render(variant)).entrySet()) {
			String what = variant + ": " + resources.getKey();
			assertThat(map(resources.getValue().get("requests"))).as(what + " requests").containsKeys("cpu", "memory");
			assertThat(map(resources.getValue().get("limits"))).as(what + " limits").containsKeys("cpu", "memory");
		}
	}

	@ParameterizedTest
	@FieldSource("VARIANTS")
	void everyPodMeetsThePodSecurityStandardRestricted(String variant) {
		Manifests manifests = render(variant);
		assertThat(map(path(manifests.get("Namespace", NetworkReachability.NAMESPACE), "metadata", "labels")))
			.as(variant + ": the namespace enforces restricted")
			.containsEntry("pod-security.kubernetes.io/enforce", "restricted");
		for (Map.Entry<String, List<Map<String, Object>>> pod : securityContexts(manifests).entrySet()) {
			Map<String, Object> podContext = pod.getValue().get(0);
			for (Map<String, Object> container : pod.getValue().subList(1, pod.getValue().size())) {
				String what = variant + ": " + pod.getKey() + " container " + container.get("name");
				Map<String, Object> context = map(container.get("securityContext"));
				assertThat(effective(context, podContext, "runAsNonRoot")).as(what + " runAsNonRoot").isEqualTo(true);
				assertThat(effective(context, podContext, "runAsUser")).as(what + " runAsUser").isNotEqualTo(0);
				Object seccomp = effective(context, podContext, "seccompProfile");
				assertThat(map(seccomp).get("type")).as(what + " seccompProfile").isIn("RuntimeDefault", "Localhost");
				assertThat(context.get("allowPrivilegeEscalation")).as(what + " allowPrivilegeEscalation")
					.isEqualTo(false);
				assertThat(context.get("privileged")).as(what + " privileged").isNotEqualTo(true);
				assertThat(strings(path(context, "capabilities", "drop"))).as(what + " drops ALL capabilities")
					.contains("ALL");
				assertThat(strings(path(context, "capabilities", "add"))).as(what + " adds capabilities")
					.isSubsetOf("NET_BIND_SERVICE");
			}
			for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
				assertThat(podContext.get(host)).as(variant + ": " + pod.getKey() + " " + host).isNotEqualTo(true);
			}
		}
	}

	@ParameterizedTest
	@FieldSource("VARIANTS")
	void probesUseDeclaredPortsAndSelectorsSelect(String variant) {
		Manifests manifests = render(variant);
		List<PodGroup> groups = Workloads.of(manifests);
		for (PodGroup group : groups) {
			for (String containers : List.of("containers", "initContainers")) {
				for (Map<String, Object> container : maps(group.podSpec().get(containers))) {
					for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
						for (String action : List.of("httpGet", "tcpSocket")) {
							Object port = path(container, probe, action, "port");
							if (port != null) {
								assertThat(declares(container, port))
									.as(variant + ": " + group.name() + " " + probe + " port " + port + " is declared")
									.isTrue();
							}
						}
						Object probePath = path(container, probe, "httpGet", "path");
						if (probePath != null) {
							assertThat(probePath).as(variant + ": " + group.name() + " " + probe + " path")
								.isIn("/actuator/health/liveness", "/actuator/health/readiness");
						}
					}
				}
			}
		}
		for (String kind : List.of("Deployment", "StatefulSet")) {
			for (Map<String, Object> workload : manifests.all(kind)) {
				assertThat(NetworkReachability.selects(map(path(workload, "spec", "selector")),
						stringMap(path(workload, "spec", "template", "metadata", "labels"))))
					.as(variant + ": " + kind + " " + name(workload) + " selects its own pods")
					.isTrue();
			}
		}
		for (String kind : List.of("Service", "PodDisruptionBudget", "NetworkPolicy", "PodMonitor")) {
			for (Map<String, Object> object : manifests.all(kind)) {
				Map<String, Object> selector = switch (kind) {
					case "Service" -> Map.of("matchLabels", map(path(object, "spec", "selector")));
					case "NetworkPolicy" -> map(path(object, "spec", "podSelector"));
					default -> map(path(object, "spec", "selector"));
				};
				assertThat(groups).as(variant + ": " + kind + " " + name(object) + " selects pods")
					.anySatisfy((group) -> assertThat(NetworkReachability.selects(selector, group.labels())).isTrue());
			}
		}
		for (Map<String, Object> autoscaler : manifests.all("HorizontalPodAutoscaler")) {
			assertThat(manifests.get((String) path(autoscaler, "spec", "scaleTargetRef", "kind"),
					(String) path(autoscaler, "spec", "scaleTargetRef", "name")))
				.as(variant + ": HorizontalPodAutoscaler " + name(autoscaler) + " scales an existing workload")
				.isNotEmpty();
		}
	}

	@ParameterizedTest
	@FieldSource("VARIANTS")
	void everyWorkloadOfMoreThanOnePodHasADisruptionBudget(String variant) {
		Manifests manifests = render(variant);
		for (PodGroup group : Workloads.of(manifests)) {
			if (group.replicas() < 2) {
				continue;
			}
			boolean budget = manifests.all("PodDisruptionBudget")
				.stream()
				.anyMatch((candidate) -> NetworkReachability.selects(map(path(candidate, "spec", "selector")),
						group.labels()))
					|| operatorBudget(manifests, group.name());
			assertThat(budget)
				.as(variant + ": " + group.name() + " runs " + group.replicas()
						+ " pods and needs a PodDisruptionBudget")
				.isTrue();
		}
	}

	/**
	 * Exactly the intended connections: the edge to the gateway's public port, the
	 * gateway to the services' API ports, monitoring to the management ports, the
	 * services to the trace collector in monitoring, each data store from its clients
	 * (and what the store needs for itself), DNS; nothing else, from anywhere.
	 */
	@ParameterizedTest
	@FieldSource("VARIANTS")
	void networkPoliciesAllowExactlyTheIntendedConnections(String variant) {
		Manifests manifests = render(variant);
		assertThat(NetworkReachability.allowed(manifests)).as(variant + ": allowed connections")
			.containsExactlyInAnyOrderElementsOf(intended(variant, Workloads.of(manifests)));
	}

	private static Set<String> intended(String variant, List<PodGroup> groups) {
		Set<String> edges = new TreeSet<>();
		for (PodGroup group : groups) {
			edges.add(group.name() + " -> kube-dns:53/UDP");
			edges.add(group.name() + " -> kube-dns:53/TCP");
		}
		String edge = variant.endsWith("+ingress-nginx") ? "namespace ingress-nginx" : "namespace envoy-gateway-system";
		allow(edges, edge, GATEWAY, 8080);
		MANAGEMENT_PORTS
			.forEach((service, port) -> allow(edges, "namespace monitoring", "Deployment/" + service, port));
		MANAGEMENT_PORTS.keySet()
			.forEach((service) -> allow(edges, "Deployment/" + service, "namespace monitoring", 9411));
		API_PORTS.forEach((service, port) -> allow(edges, GATEWAY, "Deployment/" + service, port));
		Map<String, List<String>> clients = Map.of("mysql", services("order", "worker", "session"), "redis",
				services("gateway", "order", "session"), "rabbitmq", services("order", "worker"));
		Map<String, Integer> storePorts = Map.of("mysql", 3306, "redis", 6379, "rabbitmq", 5672);
		String overlay = variant.split("\\+")[0];
		Map<String, List<String>> stores = switch (overlay) {
			case "demo" -> Map.of("mysql", List.of("StatefulSet/mysql-primary", "StatefulSet/mysql-replica"), "redis",
					List.of("StatefulSet/redis"), "rabbitmq", List.of("StatefulSet/rabbitmq"));
			case "production" ->
				Map.of("mysql", List.of("MariaDB/sysdesign-db"), "redis", List.of("RedisReplication/sysdesign-redis"),
						"rabbitmq", List.of("RabbitmqCluster/sysdesign-rabbitmq"));
			default -> Map.of();
		};
		stores.forEach((store, pods) -> pods.forEach(
				(pod) -> clients.get(store).forEach((client) -> allow(edges, client, pod, storePorts.get(store)))));
		switch (overlay) {
			case "demo" -> {
				allow(edges, "StatefulSet/mysql-replica", "StatefulSet/mysql-primary", 3306);
				allow(edges, "Job/mysql-init", "StatefulSet/mysql-primary", 3306);
				allow(edges, "Job/mysql-init", "StatefulSet/mysql-replica", 3306);
			}
			case "production" -> {
				String mariadb = "MariaDB/sysdesign-db";
				String backup = "PhysicalBackup/sysdesign-db-daily";
				String rabbit = "RabbitmqCluster/sysdesign-rabbitmq";
				String redis = "RedisReplication/sysdesign-redis";
				String sentinel = "RedisReplication/sysdesign-redis-sentinel";
				allow(edges, mariadb, mariadb, 3306);
				allow(edges, "namespace mariadb-operator", mariadb, 3306, 5555);
				allow(edges, backup, mariadb, 3306);
				allow(edges, mariadb, "internet", 443);
				allow(edges, backup, "internet", 443);
				allow(edges, rabbit, rabbit, 4369, 25672);
				allow(edges, "namespace rabbitmq-system", rabbit, 15672);
				allow(edges, redis, redis, 6379);
				allow(edges, sentinel, redis, 6379);
				allow(edges, sentinel, sentinel, 26379);
				allow(edges, "namespace redis-operator", redis, 6379);
				allow(edges, "namespace redis-operator", sentinel, 26379);
				clients.get("redis").forEach((client) -> allow(edges, client, sentinel, 26379));
			}
			default -> {
				clients.forEach((store, pods) -> pods.forEach((client) -> allow(edges, client, "data-subnet",
						(store.equals("rabbitmq") ? 5671 : storePorts.get(store)))));
			}
		}
		return edges;
	}

	private static List<String> services(String... names) {
		return List.of(names).stream().map((name) -> "Deployment/" + name + "-service").toList();
	}

	private static void allow(Set<String> edges, String source, String destination, int... ports) {
		for (int port : ports) {
			edges.add(source + " -> " + destination + ":" + port + "/TCP");
		}
	}

	/** Operators that create the disruption budget of their own pods from a field. */
	private static boolean operatorBudget(Manifests manifests, String group) {
		String[] kindAndName = group.split("/", 2);
		return switch (kindAndName[0]) {
			case "MariaDB" -> path(manifests.get("MariaDB", kindAndName[1]), "spec", "podDisruptionBudget") != null;
			case "RedisReplication" -> !kindAndName[1].endsWith("-sentinel") && Boolean.TRUE
				.equals(path(manifests.get("RedisReplication", kindAndName[1]), "spec", "pdb", "enabled"));
			default -> false;
		};
	}

	/** Every image a variant runs, by where it is named (operators' fields included). */
	private static Map<String, String> images(Manifests manifests) {
		Map<String, String> images = new LinkedHashMap<>();
		containers(manifests).forEach((where, container) -> images.put(where, (String) container.get("image")));
		for (Map<String, Object> database : manifests.all("MariaDB")) {
			images.put("MariaDB " + name(database), (String) path(database, "spec", "image"));
			for (String part : List.of("agent", "initContainer")) {
				images.put("MariaDB " + name(database) + " " + part,
						(String) path(database, "spec", "replication", part, "image"));
			}
		}
		for (Map<String, Object> cluster : manifests.all("RabbitmqCluster")) {
			images.put("RabbitmqCluster " + name(cluster), (String) path(cluster, "spec", "image"));
		}
		for (Map<String, Object> replication : manifests.all("RedisReplication")) {
			images.put("RedisReplication " + name(replication),
					(String) path(replication, "spec", "kubernetesConfig", "image"));
			images.put("RedisReplication " + name(replication) + " sentinel",
					(String) path(replication, "spec", "sentinel", "image"));
		}
		images.values().removeIf((image) -> image == null);
		return images;
	}

	/** The resources of every container, operators' containers included. */
	private static Map<String, Map<String, Object>> resources(Manifests manifests) {
		Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
		containers(manifests).forEach((where, container) -> resources.put(where, map(container.get("resources"))));
		for (Map<String, Object> database : manifests.all("MariaDB")) {
			resources.put("MariaDB " + name(database), map(path(database, "spec", "resources")));
			for (String part : List.of("agent", "initContainer")) {
				resources.put("MariaDB " + name(database) + " " + part,
						map(path(database, "spec", "replication", part, "resources")));
			}
		}
		for (Map<String, Object> backup : manifests.all("PhysicalBackup")) {
			resources.put("PhysicalBackup " + name(backup), map(path(backup, "spec", "resources")));
		}
		for (Map<String, Object> cluster : manifests.all("RabbitmqCluster")) {
			resources.put("RabbitmqCluster " + name(cluster), map(path(cluster, "spec", "resources")));
		}
		for (Map<String, Object> replication : manifests.all("RedisReplication")) {
			resources.put("RedisReplication " + name(replication),
					map(path(replication, "spec", "kubernetesConfig", "resources")));
			resources.put("RedisReplication " + name(replication) + " sentinel",
					map(path(replication, "spec", "sentinel", "resources")));
		}
		return resources;
	}

	/**
	 * Per pod: its pod security context first, then its containers (name and
	 * securityContext). The RabbitMQ Cluster Operator's pods are restricted by the
	 * operator itself ({@code internal/resource/statefulset.go}) and are not listed.
	 */
	private static Map<String, List<Map<String, Object>>> securityContexts(Manifests manifests) {
		Map<String, List<Map<String, Object>>> pods = new LinkedHashMap<>();
		for (String kind : List.of("Deployment", "StatefulSet", "Job")) {
			for (Map<String, Object> workload : manifests.all(kind)) {
				Map<String, Object> pod = map(path(workload, "spec", "template", "spec"));
				List<Map<String, Object>> contexts = new ArrayList<>();
				Map<String, Object> podContext = new LinkedHashMap<>(map(pod.get("securityContext")));
				for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
					if (pod.containsKey(host)) {
						podContext.put(host, pod.get(host));
					}
				}
				contexts.add(podContext);
				contexts.addAll(maps(pod.get("initContainers")));
				contexts.addAll(maps(pod.get("containers")));
				pods.put(kind + " " + name(workload), contexts);
			}
		}
		for (Map<String, Object> database : manifests.all("MariaDB")) {
			Map<String, Object> spec = map(database.get("spec"));
			pods.put("MariaDB " + name(database),
					List.of(map(spec.get("podSecurityContext")),
							Map.of("name", "mariadb", "securityContext", map(spec.get("securityContext"))),
							Map.of("name", "agent", "securityContext",
									map(path(spec, "replication", "agent", "securityContext"))),
							Map.of("name", "init", "securityContext",
									map(path(spec, "replication", "initContainer", "securityContext")))));
		}
		for (Map<String, Object> backup : manifests.all("PhysicalBackup")) {
			Map<String, Object> spec = map(backup.get("spec"));
			pods.put("PhysicalBackup " + name(backup), List.of(map(spec.get("podSecurityContext")),
					Map.of("name", "backup", "securityContext", map(spec.get("securityContext")))));
		}
		for (Map<String, Object> replication : manifests.all("RedisReplication")) {
			Map<String, Object> spec = map(replication.get("spec"));
			pods.put("RedisReplication " + name(replication), List.of(map(spec.get("podSecurityContext")),
					Map.of("name", "redis", "securityContext", map(spec.get("securityContext")))));
			pods.put("RedisReplication " + name(replication) + " sentinel", List.of(
					map(path(spec, "sentinel", "podSecurityContext")),
					Map.of("name", "sentinel", "securityContext", map(path(spec, "sentinel", "securityContext")))));
		}
		return pods;
	}

	private static Map<String, Map<String, Object>> containers(Manifests manifests) {
		Map<String, Map<String, Object>> containers = new LinkedHashMap<>();
		for (String kind : List.of("Deployment", "StatefulSet", "Job")) {
			for (Map<String, Object> workload : manifests.all(kind)) {
				for (String list : List.of("initContainers", "containers")) {
					for (Map<String, Object> container : maps(path(workload, "spec", "template", "spec", list))) {
						containers.put(kind + " " + name(workload) + " container " + container.get("name"), container);
					}
				}
			}
		}
		return containers;
	}

	private static Object effective(Map<String, Object> container, Map<String, Object> pod, String field) {
		return container.containsKey(field) ? container.get(field) : pod.get(field);
	}

	private static boolean declares(Map<String, Object> container, Object port) {
		return maps(container.get("ports")).stream()
			.anyMatch((declared) -> port.equals(declared.get("name")) || port.equals(declared.get("containerPort")));
	}

	private static Map<String, String> stringMap(Object value) {
		Map<String, String> strings = new LinkedHashMap<>();
		map(value).forEach((key, item) -> strings.put(key, String.valueOf(item)));
		return strings;
	}

	private static String releaseVersion() throws IOException {
		String pom = Files.readString(RenderedManifests.root().resolve("pom.xml"));
		Matcher matcher = Pattern.compile("<artifactId>platform</artifactId>\\s*<version>([^<]+)</version>")
			.matcher(pom);
		assertThat(matcher.find()).as("the project version in pom.xml").isTrue();
		return matcher.group(1).replace("-SNAPSHOT", "");
	}

}
