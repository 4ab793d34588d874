package dev.sysdesign.gateway.balancer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.sysdesign.gateway.discovery.InstanceRegistry;
import dev.sysdesign.gateway.discovery.RegistryServiceInstanceListSupplier;

/**
 * Per-service load-balancer configuration, created by Spring Cloud LoadBalancer in a
 * child context of each service id. Deliberately not a {@code @Configuration}: component
 * scanning must not register it in the main context.
 */
class BalancerClientConfiguration {

	@Bean
	ServiceInstanceListSupplier registryServiceInstanceListSupplier(Environment environment,
			InstanceRegistry registry) {
		return new RegistryServiceInstanceListSupplier(serviceId(environment), registry);
	}

	@Bean
	ReactorLoadBalancer<ServiceInstance> loadBalancer(Environment environment,
			ObjectProvider<ServiceInstanceListSupplier> suppliers, Balancing balancing, BalancerProperties properties) {
		return new ConsistentHashLoadBalancer(serviceId(environment), suppliers, balancing, properties);
	}

	private static String serviceId(Environment environment) {
		return environment.getRequiredProperty(LoadBalancerClientFactory.PROPERTY_NAME);
	}

}
