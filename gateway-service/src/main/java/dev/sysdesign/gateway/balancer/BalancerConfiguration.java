package dev.sysdesign.gateway.balancer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The balancing shared by every service's load balancer and the admin endpoint, and every
 * load-balanced service's client configuration ({@link BalancerClientConfiguration})
 * reading the ready instances from discovery.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BalancerProperties.class)
@LoadBalancerClients(defaultConfiguration = BalancerClientConfiguration.class)
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
