package dev.sysdesign.gateway.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.context.SmartLifecycle;

/**
 * The balancer's view of each instance as a metric,
 * {@code gateway.discovery.instance.ready} (by {@code service} and {@code target}): 1
 * while its readiness probe passes, 0 while it answers (or times out) but is not ready —
 * what the "instance not ready" alert watches. A candidate address that refuses
 * connections (nothing runs there, such as the spare local ports of
 * {@code scripts/platform.sh}) has no series.
 */
class DiscoveryMetrics implements SmartLifecycle {

	private final InstanceRegistry registry;

	private final MultiGauge ready;

	private final Duration interval;

	private volatile @Nullable Disposable updating;

	DiscoveryMetrics(InstanceRegistry registry, MeterRegistry meters, Duration interval) {
		this.registry = registry;
		this.interval = interval;
		this.ready = MultiGauge.builder("gateway.discovery.instance.ready")
			.description("Whether an instance passes its readiness probe (1) or answers but is not ready (0)")
			.register(meters);
	}

	void update() {
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		for (String serviceId : this.registry.serviceIds()) {
			for (InstanceRegistry.InstanceStatus status : this.registry.candidates(serviceId)) {
				if (!status.reason().contains("Connection refused")) {
					rows.add(MultiGauge.Row.of(Tags.of("service", serviceId, "target", status.instanceId()),
							status.ready() ? 1 : 0));
				}
			}
		}
		this.ready.register(rows, true);
	}

	@Override
	public void start() {
		this.updating = Flux.interval(this.interval, this.interval).subscribe((tick) -> update());
	}

	@Override
	public void stop() {
		Disposable current = this.updating;
		if (current != null) {
			current.dispose();
			this.updating = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.updating != null;
	}

}
