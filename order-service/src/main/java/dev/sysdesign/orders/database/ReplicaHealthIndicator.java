package dev.sysdesign.orders.database;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The replicas as a health component ({@code replicaDatabase}): up while one of them can
 * serve reads, with each replica's state. Not part of readiness: a replica that cannot
 * serve costs only performance, reads go to the primary.
 */
class ReplicaHealthIndicator extends AbstractHealthIndicator {

	private final Replicas replicas;

	ReplicaHealthIndicator(Replicas replicas) {
		this.replicas = replicas;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean usable = false;
		for (Replicas.Replica replica : this.replicas.all()) {
			ReplicaHealth.State state = replica.health().state();
			usable |= state.usable();
			java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
			details.put("usable", state.usable());
			details.put("since", state.since().toString());
			if (!state.reason().isEmpty()) {
				details.put("reason", state.reason());
			}
			if (state.lagSeconds() != null) {
				details.put("lagSeconds", state.lagSeconds());
			}
			builder.withDetail(replica.name(), details);
		}
		(usable ? builder.up() : builder.down()).withDetail("usable", usable);
	}

}
