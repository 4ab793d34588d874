package dev.sysdesign.support.database;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the database cluster's nodes are ({@code platform.datasource.*}).
 *
 * @param nodes every node's {@code host:port} ({@code DB_NODES}); the primary is the one
 * that is writable. Empty: the address of {@code spring.datasource.url} alone (a primary
 * endpoint that an operator or a managed service keeps pointing at the primary)
 * @param probeInterval how often the primary is checked
 * @param failoverGrace how long a service without a primary still reports the primary
 * healthy, as a failover in progress (readiness: a failover must not take every instance
 * out of its load balancer)
 */
@ConfigurationProperties("platform.datasource")
public record DatabaseProperties(@DefaultValue List<String> nodes, @DefaultValue("1s") Duration probeInterval,
		@DefaultValue("30s") Duration failoverGrace) {
}
