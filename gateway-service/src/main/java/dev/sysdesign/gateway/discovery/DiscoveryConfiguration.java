package dev.sysdesign.gateway.discovery;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registry of downstream instances, and every load-balanced service's client
 * configuration ({@link BalancerClientConfiguration}) reading from it.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = BalancerClientConfiguration.class)
class DiscoveryConfiguration {

	@Bean
	InstanceRegistry instanceRegistry(DiscoveryProperties properties) {
		return new InstanceRegistry(properties);
	}

	@Bean
	DiscoveryMetrics discoveryMetrics(InstanceRegistry registry, MeterRegistry meters, DiscoveryProperties properties) {
		return new DiscoveryMetrics(registry, meters, properties.refreshInterval());
	}

}
