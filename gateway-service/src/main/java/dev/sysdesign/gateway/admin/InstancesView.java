package dev.sysdesign.gateway.admin;

import java.util.ArrayList;
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
 */
@Component
class InstancesView {

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

	private Map<String, Object> service(String serviceId, List<ServiceInstance> ready, @Nullable String key) {
		List<InstanceRegistry.InstanceStatus> candidates = this.registry.candidates(serviceId);
		long totalUsers = 0;
		List<RoutingStats.Snapshot> snapshots = new ArrayList<>();
		for (InstanceRegistry.InstanceStatus candidate : candidates) {
			RoutingStats.Snapshot snapshot = this.stats.snapshot(candidate.instanceId());
			snapshots.add(snapshot);
			totalUsers += snapshot.distinctUsers();
		}
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
