package dev.sysdesign.gateway.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.stereotype.Component;

import dev.sysdesign.gateway.balancer.Balancing;
import dev.sysdesign.gateway.balancer.RoutingStats;
import dev.sysdesign.gateway.discovery.InstanceRegistry;

/**
 * The balancer's state for operators, the same on the public admin API and on the
 * management port: per service, every candidate instance with its readiness, weight,
 * requests served and distinct users routed recently (and their share), and, for a key,
 * the instance that owns it now.
 * <p>
 * For a service balanced by consistent hashing, each instance also gets the users it owns
 * now ({@code ownedUsers}, {@code ownedShare}): of the users routed to the service
 * recently, those the hashing sends to it with the instances ready at this moment. Unlike
 * the routed figures, which trail behind by the length of the window, these change the
 * moment an instance joins or leaves: with a fifth instance each of four hands it about a
 * twentieth of the users. At most {@value #OWNERSHIP_SAMPLE} users are counted.
 */
@Component
class InstancesView {

	static final int OWNERSHIP_SAMPLE = 100_000;

	private final InstanceRegistry registry;

	private final Balancing balancing;

	private final RoutingStats stats;

	InstancesView(InstanceRegistry registry, Balancing balancing, RoutingStats stats) {
		this.registry = registry;
		this.balancing = balancing;
		this.stats = stats;
	}

	Mono<Map<String, Object>> describe(@Nullable String key) {
		return Flux.fromIterable(this.registry.serviceIds())
			.concatMap((serviceId) -> this.registry.ready(serviceId)
				.map((ready) -> Map.entry(serviceId, service(serviceId, ready, key))))
			.collectList()
			.map((entries) -> {
				Map<String, Object> services = new LinkedHashMap<>();
				entries.forEach((entry) -> services.put(entry.getKey(), entry.getValue()));
				Map<String, Object> body = new LinkedHashMap<>();
				if (key != null) {
					body.put("key", key);
				}
				body.put("services", services);
				return body;
			});
	}

	/** Users routed recently, counted by the ready instance that owns each now. */
	private Map<String, Long> owners(String serviceId, List<InstanceRegistry.InstanceStatus> candidates,
			List<ServiceInstance> ready) {
		Map<String, Long> owned = new HashMap<>();
		if (ready.isEmpty()) {
			return owned;
		}
		List<String> ids = candidates.stream().map(InstanceRegistry.InstanceStatus::instanceId).toList();
		for (String user : this.stats.recentUsers(ids, OWNERSHIP_SAMPLE)) {
			ServiceInstance owner = this.balancing.owner(serviceId, ready, user);
			if (owner != null) {
				owned.merge(owner.getInstanceId(), 1L, Long::sum);
			}
		}
		return owned;
	}

	private Map<String, Object> service(String serviceId, List<ServiceInstance> ready, @Nullable String key) {
		List<InstanceRegistry.InstanceStatus> candidates = this.registry.candidates(serviceId);
		long totalUsers = 0;
		List<RoutingStats.Snapshot> snapshots = new ArrayList<>();
		for (InstanceRegistry.InstanceStatus candidate : candidates) {
			RoutingStats.Snapshot snapshot = this.stats.snapshot(candidate.instanceId());
			snapshots.add(snapshot);
			totalUsers += snapshot.distinctUsers();
		}
		Map<String, Long> owned = this.balancing.consistentHashing(serviceId) ? owners(serviceId, candidates, ready)
				: null;
		long ownedTotal = (owned != null) ? owned.values().stream().mapToLong(Long::longValue).sum() : 0;
		List<Map<String, Object>> instances = new ArrayList<>();
		for (int i = 0; i < candidates.size(); i++) {
			InstanceRegistry.InstanceStatus candidate = candidates.get(i);
			RoutingStats.Snapshot snapshot = snapshots.get(i);
			Map<String, Object> instance = new LinkedHashMap<>();
			instance.put("instanceId", candidate.instanceId());
			instance.put("uri", candidate.uri().toString());
			instance.put("ready", candidate.ready());
			instance.put("since", candidate.since().toString());
			if (!candidate.reason().isEmpty()) {
				instance.put("reason", candidate.reason());
			}
			instance.put("weight", candidate.weight());
			instance.put("requestsServed", snapshot.requestsServed());
			instance.put("inFlight", snapshot.inFlight());
			instance.put("distinctUsers", snapshot.distinctUsers());
			instance.put("userShare", (totalUsers == 0) ? 0.0 : (double) snapshot.distinctUsers() / totalUsers);
			if (owned != null) {
				long users = owned.getOrDefault(candidate.instanceId(), 0L);
				instance.put("ownedUsers", users);
				instance.put("ownedShare", (ownedTotal == 0) ? 0.0 : (double) users / ownedTotal);
			}
			instances.add(instance);
		}
		Map<String, Object> service = new LinkedHashMap<>();
		service.put("balancing", this.balancing.consistentHashing(serviceId) ? "consistent-hash" : "round-robin");
		service.put("instances", instances);
		if (key != null) {
			ServiceInstance owner = this.balancing.owner(serviceId, ready, key);
			if (owner != null) {
				service.put("owner", owner.getInstanceId());
			}
		}
		return service;
	}

}
