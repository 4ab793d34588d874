package dev.sysdesign.gateway.balancer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The balancing shared by every service's load balancer and the admin endpoint.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BalancerProperties.class)
class BalancerConfiguration {

	@Bean
	RoutingStats routingStats(BalancerProperties properties) {
		return new RoutingStats(properties);
	}

	@Bean
	Balancing balancing(BalancerProperties properties, RoutingStats stats) {
		return new Balancing(properties, stats);
	}

}
