package dev.sysdesign.gateway.balancer;

import java.net.ConnectException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ConnectTimeoutException;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.sysdesign.gateway.discovery.InstanceRegistry;

/**
 * Runs right after the load balancer picked an instance: remembers the instance as tried
 * (a retry goes to the key's next-ranked instance), counts the request for the instance's
 * figures, and takes an instance that refuses connections out of rotation at once, until
 * its next successful readiness probe. Metric {@code gateway.balancer.requests}: requests
 * sent, by {@code service} and {@code target} instance (each instance's share of its
 * service).
 */
@Component
class BalancerStatsFilter implements GlobalFilter, Ordered {

	private final RoutingStats stats;

	private final InstanceRegistry registry;

	private final MeterRegistry meters;

	private final Map<String, Counter> requests = new ConcurrentHashMap<>();

	BalancerStatsFilter(RoutingStats stats, InstanceRegistry registry, MeterRegistry meters) {
		this.stats = stats;
		this.registry = registry;
		this.meters = meters;
	}

	@Override
	public int getOrder() {
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Response<ServiceInstance> response = exchange
			.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		if (response == null || !response.hasServer()) {
			return chain.filter(exchange);
		}
		ServiceInstance instance = response.getServer();
		String instanceId = instance.getInstanceId();
		Set<String> tried = exchange.getAttributes()
			.computeIfAbsent(ConsistentHashLoadBalancer.TRIED_INSTANCES,
					(key) -> new HashSet<String>()) instanceof Set<?> set ? cast(set) : new HashSet<>();
		tried.add(instanceId);
		this.stats.started(instanceId, exchange.getAttribute(ConsistentHashLoadBalancer.KEY));
		this.requests
			.computeIfAbsent(instanceId,
					(id) -> Counter.builder("gateway.balancer.requests")
						.description("Requests the balancer sent to each instance")
						.tag("service", instance.getServiceId())
						.tag("target", id)
						.register(this.meters))
			.increment();
		return chain.filter(exchange).doOnError((ex) -> {
			if (refused(ex)) {
				this.registry.markUnready(instance.getServiceId(), instanceId,
						"connection refused: " + ex.getMessage());
			}
		}).doFinally((signal) -> this.stats.finished(instanceId));
	}

	@SuppressWarnings("unchecked")
	private static Set<String> cast(Set<?> set) {
		return (Set<String>) set;
	}

	private static boolean refused(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof ConnectException || current instanceof ConnectTimeoutException) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

}
