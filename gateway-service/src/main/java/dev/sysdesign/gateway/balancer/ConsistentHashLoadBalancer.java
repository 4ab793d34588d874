package dev.sysdesign.gateway.balancer;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Spring Cloud LoadBalancer's view of {@link Balancing} for one service: reads the
 * request's key (the authenticated user id by default) and the instances a retry already
 * tried, and picks the instance.
 */
public class ConsistentHashLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	/**
	 * Exchange attribute: the ids of the instances tried for a request, a mutable set.
	 */
	public static final String TRIED_INSTANCES = ConsistentHashLoadBalancer.class.getName() + ".tried";

	/**
	 * Exchange attribute where the balancer leaves the request's key (absent without
	 * one): what the routing figures count as a user.
	 */
	public static final String KEY = ConsistentHashLoadBalancer.class.getName() + ".key";

	private final String serviceId;

	private final ObjectProvider<ServiceInstanceListSupplier> suppliers;

	private final Balancing balancing;

	private final BalancerProperties properties;

	public ConsistentHashLoadBalancer(String serviceId, ObjectProvider<ServiceInstanceListSupplier> suppliers,
			Balancing balancing, BalancerProperties properties) {
		this.serviceId = serviceId;
		this.suppliers = suppliers;
		this.balancing = balancing;
		this.properties = properties;
	}

	@Override
	public Mono<Response<ServiceInstance>> choose(Request request) {
		ServiceInstanceListSupplier supplier = this.suppliers.getIfAvailable();
		if (supplier == null) {
			return Mono.just(new EmptyResponse());
		}
		RequestData data = (request.getContext() instanceof RequestDataContext context) ? context.getClientRequest()
				: null;
		String key = key(data);
		if (key != null && data != null && data.getAttributes() != null) {
			data.getAttributes().put(KEY, key);
		}
		Set<String> tried = tried(data);
		return supplier.get(request).next().map((instances) -> {
			ServiceInstance chosen = this.balancing.choose(this.serviceId, instances, key, tried);
			return (chosen != null) ? new DefaultResponse(chosen) : new EmptyResponse();
		});
	}

	private @Nullable String key(@Nullable RequestData data) {
		if (data == null) {
			return null;
		}
		String name = this.properties.keyName();
		String key = switch (this.properties.keySource()) {
			case HEADER -> (data.getHeaders() != null) ? data.getHeaders().getFirst(name) : null;
			case COOKIE -> (data.getCookies() != null) ? data.getCookies().getFirst(name) : null;
			case ATTRIBUTE -> {
				Object value = (data.getAttributes() != null) ? data.getAttributes().get(name) : null;
				yield (value != null) ? value.toString() : null;
			}
		};
		return (key == null || key.isBlank()) ? null : key;
	}

	@SuppressWarnings("unchecked")
	private static Set<String> tried(@Nullable RequestData data) {
		Map<String, Object> attributes = (data != null) ? data.getAttributes() : null;
		Object tried = (attributes != null) ? attributes.get(TRIED_INSTANCES) : null;
		return (tried instanceof Set<?> set) ? (Set<String>) set : Set.of();
	}

}
