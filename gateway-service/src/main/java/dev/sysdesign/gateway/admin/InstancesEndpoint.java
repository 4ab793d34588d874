package dev.sysdesign.gateway.admin;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/instances[?key=userId]} on the management port: the same data as
 * {@code /api/admin/instances}, for operators and scripts without an admin session.
 */
@Component
@Endpoint(id = "instances")
class InstancesEndpoint {

	private final InstancesView view;

	InstancesEndpoint(InstancesView view) {
		this.view = view;
	}

	@ReadOperation
	Mono<Map<String, Object>> instances(@Nullable String key) {
		return this.view.describe((key == null || key.isBlank()) ? null : key);
	}

}
