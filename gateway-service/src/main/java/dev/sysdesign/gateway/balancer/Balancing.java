package dev.sysdesign.gateway.balancer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;

import dev.sysdesign.gateway.discovery.InstanceRegistry;

/**
 * Picks the instance of a service for a request: the owner of the request's key by
 * weighted rendezvous hashing over the ready instances (skipping those a retry already
 * tried, and with bounded load, those above their share), or round-robin without a key.
 * Shared by the per-service load balancers and the admin endpoint, so both always agree
 * on the owner.
 */
public class Balancing {

	private final BalancerProperties properties;

	private final RoutingStats stats;

	private final Map<String, Prepared> prepared = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

	public Balancing(BalancerProperties properties, RoutingStats stats) {
		this.properties = properties;
		this.stats = stats;
	}

	/**
	 * Whether a service is balanced by consistent hashing.
	 * @param serviceId the service
	 * @return whether requests with a key go to its owner
	 */
	public boolean consistentHashing(String serviceId) {
		return this.properties.consistentHashServices().contains(serviceId);
	}

	/**
	 * Chooses an instance.
	 * @param serviceId the service
	 * @param instances its ready instances (the registry's immutable snapshot)
	 * @param key the request's key, or {@code null}
	 * @param tried instance ids already tried for this request (by a retry)
	 * @return the instance, or {@code null} when there is none
	 */
	public @Nullable ServiceInstance choose(String serviceId, List<ServiceInstance> instances, @Nullable String key,
			Set<String> tried) {
		if (instances.isEmpty()) {
			return null;
		}
		if (key == null || !consistentHashing(serviceId)) {
			return roundRobin(serviceId, instances, tried);
		}
		Prepared hashing = prepare(serviceId, instances);
		long keyHash = RendezvousHashing.hash(key);
		long excluded = 0;
		if (!tried.isEmpty()) {
			for (int i = 0; i < instances.size() && i < 64; i++) {
				if (tried.contains(instances.get(i).getInstanceId())) {
					excluded |= 1L << i;
				}
			}
		}
		int index = (this.properties.boundedLoadFactor() > 0) ? chooseBounded(hashing, keyHash, excluded)
				: hashing.hashing().choose(keyHash, excluded);
		if (index < 0) {
			index = hashing.hashing().choose(keyHash);
		}
		return instances.get(index);
	}

	/**
	 * The instance that owns a key now (what {@code GET /api/admin/instances?key=}
	 * answers).
	 * @param serviceId the service
	 * @param instances its ready instances
	 * @param key the key
	 * @return the owner, or {@code null} without ready instances
	 */
	public @Nullable ServiceInstance owner(String serviceId, List<ServiceInstance> instances, String key) {
		if (instances.isEmpty()) {
			return null;
		}
		return instances.get(prepare(serviceId, instances).hashing().choose(RendezvousHashing.hash(key)));
	}

	private int chooseBounded(Prepared hashing, long keyHash, long excluded) {
		int total = 0;
		for (String id : hashing.ids()) {
			total += this.stats.inFlight(id);
		}
		long skipped = excluded;
		for (int attempt = 0; attempt < hashing.ids().size() && attempt < 64; attempt++) {
			int candidate = hashing.hashing().choose(keyHash, skipped);
			if (candidate < 0) {
				return -1;
			}
			double capacity = Math.ceil(this.properties.boundedLoadFactor() * (total + 1) * hashing.weights()[candidate]
					/ hashing.weightSum());
			if (this.stats.inFlight(hashing.ids().get(candidate)) < capacity) {
				return candidate;
			}
			skipped |= 1L << candidate;
		}
		return hashing.hashing().choose(keyHash, excluded);
	}

	private ServiceInstance roundRobin(String serviceId, List<ServiceInstance> instances, Set<String> tried) {
		int start = Math.floorMod(
				this.roundRobin.computeIfAbsent(serviceId, (id) -> new AtomicInteger()).getAndIncrement(),
				instances.size());
		for (int i = 0; i < instances.size(); i++) {
			ServiceInstance candidate = instances.get((start + i) % instances.size());
			if (!tried.contains(candidate.getInstanceId())) {
				return candidate;
			}
		}
		return instances.get(start);
	}

	private Prepared prepare(String serviceId, List<ServiceInstance> instances) {
		Prepared current = this.prepared.get(serviceId);
		if (current != null && current.instances() == instances) {
			return current;
		}
		List<String> ids = instances.stream().map(ServiceInstance::getInstanceId).toList();
		double[] weights = new double[instances.size()];
		double sum = 0;
		for (int i = 0; i < weights.length; i++) {
			weights[i] = weight(instances.get(i));
			sum += weights[i];
		}
		Prepared fresh = new Prepared(instances, ids, new RendezvousHashing(ids, weights), weights, sum);
		this.prepared.put(serviceId, fresh);
		return fresh;
	}

	private static double weight(ServiceInstance instance) {
		String weight = instance.getMetadata().get(InstanceRegistry.WEIGHT);
		try {
			return (weight != null) ? Math.max(1, Integer.parseInt(weight)) : 1;
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

	private record Prepared(List<ServiceInstance> instances, List<String> ids, RendezvousHashing hashing,
			double[] weights, double weightSum) {
	}

}
