package dev.sysdesign.gateway.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sysdesign.gateway.discovery.InstanceRegistry;

/**
 * {@code GET /api/admin/instances}: the instances behind the gateway as its load balancer
 * sees them now, answered by the gateway itself.
 */
@RestController
class InstancesController {

	private final InstanceRegistry registry;

	InstancesController(InstanceRegistry registry) {
		this.registry = registry;
	}

	@GetMapping("/api/admin/instances")
	Map<String, Object> instances() {
		Map<String, Object> services = new LinkedHashMap<>();
		for (String serviceId : this.registry.serviceIds()) {
			List<InstanceRegistry.InstanceStatus> candidates = this.registry.candidates(serviceId);
			services.put(serviceId, candidates);
		}
		return Map.of("services", services);
	}

}
