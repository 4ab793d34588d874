package dev.sysdesign.system;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.sysdesign.system.RenderedManifests.Manifests;
import dev.sysdesign.system.Workloads.PodGroup;

import static dev.sysdesign.system.RenderedManifests.map;
import static dev.sysdesign.system.RenderedManifests.maps;
import static dev.sysdesign.system.RenderedManifests.path;
import static dev.sysdesign.system.RenderedManifests.strings;

/**
 * Who reaches whom under a variant's NetworkPolicies, computed from the rendered objects
 * with the semantics of the Kubernetes API (a connection needs an egress rule of the
 * source, unless no policy selects it for egress, and an ingress rule of the destination,
 * likewise; peers by pod and namespace selectors or IP blocks; ports by number, name or
 * range). Endpoints are the variant's pod groups in its namespace and a fixed set of
 * others: the edge proxies' and the operators' namespaces, monitoring, cluster DNS,
 * another application's namespace, and addresses outside the cluster. Pods never match IP
 * blocks (their addresses are the cluster's own).
 */
final class NetworkReachability {

	/** The namespace every variant deploys to. */
	static final String NAMESPACE = "sysdesign";

	/**
	 * Addresses outside the cluster: object storage on the internet, the managed data
	 * subnet.
	 */
	static final Map<String, String> ADDRESSES = Map.of("internet", "52.95.110.1", "data-subnet", "10.0.128.10");

	/**
	 * Something that connects or is connected to.
	 *
	 * @param name how edges name it
	 * @param namespace its namespace; null for an address outside the cluster
	 * @param labels its pods' labels
	 * @param address its address outside the cluster; null for a pod
	 * @param ports the ports it listens on, as {@code number/protocol} by name
	 */
	record Endpoint(String name, String namespace, Map<String, String> labels, String address,
			Map<String, String> ports) {

		boolean ours() {
			return NAMESPACE.equals(this.namespace);
		}

	}

	private NetworkReachability() {
	}

	/** The endpoints of a variant: its pod groups and the fixed others. */
	static List<Endpoint> endpoints(Manifests manifests) {
		List<Endpoint> endpoints = new ArrayList<>();
		for (PodGroup group : Workloads.of(manifests)) {
			Map<String, String> ports = new LinkedHashMap<>();
			group.ports().forEach((name, number) -> ports.put(name, number + "/TCP"));
			endpoints.add(new Endpoint(group.name(), NAMESPACE, group.labels(), null, ports));
		}
		endpoints.add(new Endpoint("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"), null,
				Map.of("dns", "53/UDP", "dns-tcp", "53/TCP")));
		for (String namespace : List.of("envoy-gateway-system", "ingress-nginx", "monitoring", "mariadb-operator",
				"rabbitmq-system", "redis-operator", "another-app")) {
			// monitoring runs the trace collector (Zipkin's API)
			Map<String, String> ports = namespace.equals("monitoring") ? Map.of("zipkin", "9411/TCP") : Map.of();
			endpoints.add(new Endpoint("namespace " + namespace, namespace, Map.of("app", "any"), null, ports));
		}
		endpoints.add(new Endpoint("internet", null, Map.of(), ADDRESSES.get("internet"), Map.of("https", "443/TCP")));
		endpoints.add(new Endpoint("data-subnet", null, Map.of(), ADDRESSES.get("data-subnet"),
				Map.of("mysql", "3306/TCP", "redis", "6379/TCP", "amqps", "5671/TCP")));
		return endpoints;
	}

	/** Every allowed connection, as {@code source -> destination:port/protocol}. */
	static Set<String> allowed(Manifests manifests) {
		List<Map<String, Object>> policies = manifests.all("NetworkPolicy");
		List<Endpoint> endpoints = endpoints(manifests);
		Set<String> edges = new TreeSet<>();
		for (Endpoint source : endpoints) {
			for (Endpoint destination : endpoints) {
				if (!source.ours() && !destination.ours()) {
					continue;
				}
				for (Map.Entry<String, String> port : destination.ports().entrySet()) {
					if (permits(policies, source, destination, port, "Egress")
							&& permits(policies, destination, source, port, "Ingress")) {
						edges.add(source.name() + " -> " + destination.name() + ":" + port.getValue());
					}
				}
			}
		}
		return edges;
	}

	/**
	 * Whether the policies selecting {@code subject} for a direction let it talk with
	 * {@code peer} on {@code port} (of the destination).
	 */
	private static boolean permits(List<Map<String, Object>> policies, Endpoint subject, Endpoint peer,
			Map.Entry<String, String> port, String direction) {
		if (!subject.ours()) {
			return true;
		}
		boolean selected = false;
		for (Map<String, Object> policy : policies) {
			if (!selects(map(path(policy, "spec", "podSelector")), subject.labels())
					|| !policyTypes(policy).contains(direction)) {
				continue;
			}
			selected = true;
			String rules = direction.equals("Ingress") ? "ingress" : "egress";
			String peers = direction.equals("Ingress") ? "from" : "to";
			for (Map<String, Object> rule : maps(path(policy, "spec", rules))) {
				if (peersMatch(maps(rule.get(peers)), peer) && portsMatch(maps(rule.get("ports")), port)) {
					return true;
				}
			}
		}
		return !selected;
	}

	private static List<String> policyTypes(Map<String, Object> policy) {
		List<String> types = strings(path(policy, "spec", "policyTypes"));
		if (!types.isEmpty()) {
			return types;
		}
		return (path(policy, "spec", "egress") != null) ? List.of("Ingress", "Egress") : List.of("Ingress");
	}

	private static boolean peersMatch(List<Map<String, Object>> peers, Endpoint peer) {
		if (peers.isEmpty()) {
			return true;
		}
		for (Map<String, Object> candidate : peers) {
			Map<String, Object> block = map(candidate.get("ipBlock"));
			if (!block.isEmpty()) {
				if (peer.address() != null && inCidr(peer.address(), (String) block.get("cidr"))
						&& strings(block.get("except")).stream()
							.noneMatch((except) -> inCidr(peer.address(), except))) {
					return true;
				}
				continue;
			}
			if (peer.namespace() == null) {
				continue;
			}
			Object namespaceSelector = candidate.get("namespaceSelector");
			Object podSelector = candidate.get("podSelector");
			boolean namespaceMatches = (namespaceSelector != null)
					? selects(map(namespaceSelector), Map.of("kubernetes.io/metadata.name", peer.namespace()))
					: peer.ours();
			boolean podMatches = podSelector == null || selects(map(podSelector), peer.labels());
			if (namespaceMatches && podMatches) {
				return true;
			}
		}
		return false;
	}

	private static boolean portsMatch(List<Map<String, Object>> ports, Map.Entry<String, String> port) {
		if (ports.isEmpty()) {
			return true;
		}
		String[] numberAndProtocol = port.getValue().split("/");
		int number = Integer.parseInt(numberAndProtocol[0]);
		for (Map<String, Object> candidate : ports) {
			if (!String.valueOf(candidate.getOrDefault("protocol", "TCP")).equals(numberAndProtocol[1])) {
				continue;
			}
			Object value = candidate.get("port");
			if (value == null || port.getKey().equals(value)) {
				return true;
			}
			if (value instanceof Number first) {
				int last = (candidate.get("endPort") instanceof Number end) ? end.intValue() : first.intValue();
				if (number >= first.intValue() && number <= last) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * A label selector ({@code matchLabels}, {@code matchExpressions}) against labels.
	 */
	static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
		for (Map.Entry<String, Object> label : map(selector.get("matchLabels")).entrySet()) {
			if (!String.valueOf(label.getValue()).equals(labels.get(label.getKey()))) {
				return false;
			}
		}
		for (Map<String, Object> expression : maps(selector.get("matchExpressions"))) {
			String value = labels.get((String) expression.get("key"));
			List<String> values = strings(expression.get("values"));
			boolean matches = switch (String.valueOf(expression.get("operator"))) {
				case "In" -> value != null && values.contains(value);
				case "NotIn" -> value == null || !values.contains(value);
				case "Exists" -> value != null;
				case "DoesNotExist" -> value == null;
				default -> throw new AssertionError("unknown selector operator in " + expression);
			};
			if (!matches) {
				return false;
			}
		}
		return true;
	}

	private static boolean inCidr(String address, String cidr) {
		String[] parts = cidr.split("/");
		int bits = Integer.parseInt(parts[1]);
		BigInteger mask = (bits == 0) ? BigInteger.ZERO
				: BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE).shiftRight(32 - bits).shiftLeft(32 - bits);
		return number(address).and(mask).equals(number(parts[0]).and(mask));
	}

	private static BigInteger number(String address) {
		try {
			return new BigInteger(1, InetAddress.getByName(address).getAddress());
		}
		catch (UnknownHostException ex) {
			throw new AssertionError("not an address: " + address, ex);
		}
	}

}
