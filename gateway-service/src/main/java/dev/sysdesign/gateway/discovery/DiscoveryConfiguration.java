package dev.sysdesign.gateway.discovery;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registry of downstream instances and its metrics. The balancer reads from it;
 * discovery knows nothing of balancing.
 */
@Configuration(proxyBeanMethods = false)
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
