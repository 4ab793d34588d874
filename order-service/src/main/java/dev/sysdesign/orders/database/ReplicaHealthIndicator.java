package dev.sysdesign.orders.database;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The replica as a health component ({@code replicaDatabase}). Not part of readiness: a
 * replica that cannot serve costs only performance, reads go to the primary.
 */
class ReplicaHealthIndicator extends AbstractHealthIndicator {

	private final ReplicaHealth health;

	ReplicaHealthIndicator(ReplicaHealth health) {
		this.health = health;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ReplicaHealth.State state = this.health.state();
		(state.usable() ? builder.up() : builder.down()).withDetail("usable", state.usable())
			.withDetail("since", state.since().toString());
		if (!state.reason().isEmpty()) {
			builder.withDetail("reason", state.reason());
		}
		if (state.lagSeconds() != null) {
			builder.withDetail("lagSeconds", state.lagSeconds());
		}
	}

}
