package dev.sysdesign.gateway.discovery;

import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Offers the load balancer the ready instances of one service from the
 * {@link InstanceRegistry}. Unlike Spring's health-check supplier it never falls back to
 * unready instances: with none ready the gateway answers 503 at once.
 */
public class RegistryServiceInstanceListSupplier implements ServiceInstanceListSupplier {

	private final String serviceId;

	private final InstanceRegistry registry;

	/**
	 * Creates the supplier of one service.
	 * @param serviceId the service
	 * @param registry where its ready instances are
	 */
	public RegistryServiceInstanceListSupplier(String serviceId, InstanceRegistry registry) {
		this.serviceId = serviceId;
		this.registry = registry;
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.registry.ready(this.serviceId).flux();
	}

}
