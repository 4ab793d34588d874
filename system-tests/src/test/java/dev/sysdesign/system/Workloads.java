package dev.sysdesign.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sysdesign.system.RenderedManifests.Manifests;

import static dev.sysdesign.system.RenderedManifests.map;
import static dev.sysdesign.system.RenderedManifests.maps;
import static dev.sysdesign.system.RenderedManifests.name;
import static dev.sysdesign.system.RenderedManifests.path;

/**
 * The groups of pods a rendered variant makes the cluster run: those of Deployments,
 * StatefulSets and Jobs, and those the operators create for their custom resources, with
 * the labels and ports the operators give them (read from their sources: mariadb-operator
 * 26.6 {@code pkg/builder/labels}, RabbitMQ Cluster Operator 2.22
 * {@code internal/metadata/label.go} and {@code internal/resource/statefulset.go},
 * redis-operator 0.26 {@code internal/controller/common/labels.go} and
 * {@code redisreplication_sentinel.go}).
 */
final class Workloads {

	private Workloads() {
	}

	/**
	 * Pods of one workload.
	 *
	 * @param name the workload, as {@code Kind/name} (an operator's pods:
	 * {@code Kind/name} with a role suffix)
	 * @param labels the pods' labels
	 * @param ports the ports the pods listen on, by name
	 * @param replicas how many pods run at least
	 * @param podSpec the pod template's spec; empty for pods an operator builds
	 */
	record PodGroup(String name, Map<String, String> labels, Map<String, Integer> ports, int replicas,
			Map<String, Object> podSpec) {

		@Override
		public String toString() {
			return this.name + " " + this.labels;
		}

	}

	static List<PodGroup> of(Manifests manifests) {
		List<PodGroup> groups = new ArrayList<>();
		for (String kind : List.of("Deployment", "StatefulSet", "Job")) {
			for (Map<String, Object> workload : manifests.all(kind)) {
				Map<String, Object> pod = map(path(workload, "spec", "template", "spec"));
				Map<String, Integer> ports = new LinkedHashMap<>();
				for (Map<String, Object> container : maps(pod.get("containers"))) {
					for (Map<String, Object> port : maps(container.get("ports"))) {
						int number = ((Number) port.get("containerPort")).intValue();
						ports.put(String.valueOf(port.getOrDefault("name", "port-" + number)), number);
					}
				}
				groups.add(new PodGroup(kind + "/" + name(workload),
						strings(map(path(workload, "spec", "template", "metadata", "labels"))), ports,
						replicas(manifests, kind, workload), pod));
			}
		}
		for (Map<String, Object> database : manifests.all("MariaDB")) {
			Map<String, String> labels = strings(map(path(database, "spec", "podMetadata", "labels")));
			labels.put("app.kubernetes.io/name", "mariadb");
			labels.put("app.kubernetes.io/instance", name(database));
			Object port = path(database, "spec", "port");
			groups.add(new PodGroup(
					"MariaDB/" + name(database), labels, Map.of("mysql",
							(port != null) ? ((Number) port).intValue() : 3306, "agent", 5555, "agent-probe", 5566),
					count(path(database, "spec", "replicas")), Map.of()));
		}
		for (Map<String, Object> backup : manifests.all("PhysicalBackup")) {
			Map<String, String> labels = strings(map(path(backup, "spec", "podMetadata", "labels")));
			labels.put("physicalbackup.k8s.mariadb.com/name", name(backup));
			groups.add(new PodGroup("PhysicalBackup/" + name(backup), labels, Map.of(), 1, Map.of()));
		}
		for (Map<String, Object> cluster : manifests.all("RabbitmqCluster")) {
			Map<String, String> labels = strings(
					map(path(cluster, "spec", "override", "statefulSet", "spec", "template", "metadata", "labels")));
			labels.put("app.kubernetes.io/name", name(cluster));
			labels.put("app.kubernetes.io/component", "rabbitmq");
			labels.put("app.kubernetes.io/part-of", "rabbitmq");
			groups.add(new PodGroup(
					"RabbitmqCluster/" + name(cluster), labels, Map.of("amqp", 5672, "management", 15672, "prometheus",
							15692, "epmd", 4369, "cluster-links", 25672),
					count(path(cluster, "spec", "replicas")), Map.of()));
		}
		for (Map<String, Object> replication : manifests.all("RedisReplication")) {
			Map<String, String> own = strings(map(path(replication, "metadata", "labels")));
			Map<String, String> redis = new LinkedHashMap<>(
					Map.of("app", name(replication), "redis_setup_type", "replication", "role", "replication"));
			redis.putAll(own);
			groups.add(new PodGroup("RedisReplication/" + name(replication), redis, Map.of("redis", 6379),
					count(path(replication, "spec", "clusterSize")), Map.of()));
			if (path(replication, "spec", "sentinel") != null) {
				Map<String, String> sentinel = new LinkedHashMap<>(
						Map.of("app", name(replication) + "-s", "redis_setup_type", "sentinel", "role", "sentinel"));
				sentinel.putAll(own);
				groups.add(new PodGroup("RedisReplication/" + name(replication) + "-sentinel", sentinel,
						Map.of("sentinel", 26379), count(path(replication, "spec", "sentinel", "size")), Map.of()));
			}
		}
		return groups;
	}

	/**
	 * The replicas a workload runs at least (an autoscaler's minimum where one owns it).
	 */
	private static int replicas(Manifests manifests, String kind, Map<String, Object> workload) {
		for (Map<String, Object> autoscaler : manifests.all("HorizontalPodAutoscaler")) {
			if (kind.equals(path(autoscaler, "spec", "scaleTargetRef", "kind"))
					&& name(workload).equals(path(autoscaler, "spec", "scaleTargetRef", "name"))) {
				return count(path(autoscaler, "spec", "minReplicas"));
			}
		}
		return kind.equals("Job") ? 1 : count(path(workload, "spec", "replicas"));
	}

	private static int count(Object value) {
		return (value instanceof Number number) ? number.intValue() : 1;
	}

	private static Map<String, String> strings(Map<String, Object> map) {
		Map<String, String> strings = new LinkedHashMap<>();
		map.forEach((key, value) -> strings.put(key, String.valueOf(value)));
		return strings;
	}

}
