package dev.sysdesign.gateway.admin;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.sysdesign.gateway.auth.Identity;
import dev.sysdesign.gateway.problem.ProblemResponses;
import dev.sysdesign.contracts.problems.ProblemTypes;

/**
 * {@code GET /api/admin/instances[?key=userId]} (role ADMIN): the instances behind the
 * gateway as its load balancer sees them now, answered by the gateway itself.
 */
@RestController
class InstancesController {

	private final InstancesView view;

	private final ProblemResponses problems;

	InstancesController(InstancesView view, ProblemResponses problems) {
		this.view = view;
		this.problems = problems;
	}

	@GetMapping("/api/admin/instances")
	Mono<Map<String, Object>> instances(@RequestParam(required = false) @Nullable String key,
			ServerWebExchange exchange) {
		Identity identity = Identity.of(exchange);
		if (identity == null || !identity.hasRole("ADMIN")) {
			return this.problems.write(exchange, (identity == null) ? HttpStatus.UNAUTHORIZED : HttpStatus.FORBIDDEN,
					(identity == null) ? ProblemTypes.UNAUTHENTICATED : ProblemTypes.FORBIDDEN,
					(identity == null) ? "Not authenticated" : "Forbidden", "This call needs the role ADMIN.", Map.of())
				.then(Mono.empty());
		}
		return this.view.describe((key == null || key.isBlank()) ? null : key);
	}

}
