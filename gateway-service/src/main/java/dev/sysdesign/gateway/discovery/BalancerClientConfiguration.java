package dev.sysdesign.gateway.discovery;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

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
			ObjectProvider<ServiceInstanceListSupplier> suppliers) {
		return new RoundRobinLoadBalancer(suppliers, serviceId(environment));
	}

	private static String serviceId(Environment environment) {
		return environment.getRequiredProperty(LoadBalancerClientFactory.PROPERTY_NAME);
	}

}
