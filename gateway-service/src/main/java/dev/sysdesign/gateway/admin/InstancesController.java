package dev.sysdesign.gateway.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.sysdesign.gateway.auth.Identity;
import dev.sysdesign.gateway.discovery.InstanceRegistry;
import dev.sysdesign.gateway.system.ProblemErrorHandler;

/**
 * {@code GET /api/admin/instances} (role ADMIN): the instances behind the gateway as its
 * load balancer sees them now, answered by the gateway itself.
 */
@RestController
class InstancesController {

	private final InstanceRegistry registry;

	private final ProblemErrorHandler problems;

	InstancesController(InstanceRegistry registry, ProblemErrorHandler problems) {
		this.registry = registry;
		this.problems = problems;
	}

	@GetMapping("/api/admin/instances")
	Mono<Map<String, Object>> instances(ServerWebExchange exchange) {
		Identity identity = Identity.of(exchange);
		if (identity == null || !identity.hasRole("ADMIN")) {
			return this.problems.write(exchange, (identity == null) ? HttpStatus.UNAUTHORIZED : HttpStatus.FORBIDDEN,
					(identity == null) ? "unauthenticated" : "forbidden",
					(identity == null) ? "Not authenticated" : "Forbidden", "This call needs the role ADMIN.", Map.of())
				.then(Mono.empty());
		}
		Map<String, Object> services = new LinkedHashMap<>();
		for (String serviceId : this.registry.serviceIds()) {
			List<InstanceRegistry.InstanceStatus> candidates = this.registry.candidates(serviceId);
			services.put(serviceId, candidates);
		}
		return Mono.just(Map.of("services", services));
	}

}
