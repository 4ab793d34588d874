package dev.sysdesign.gateway.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the gateway looks for the instances of each downstream service.
 * <p>
 * Each service has either a static list of every address an instance may have (local
 * runs: {@code scripts/platform.sh} starts instances on fixed ports) or a DNS name whose
 * every address is an instance (docker compose {@code --scale}, Kubernetes headless
 * Services). Either way, only candidates whose readiness endpoint answers {@code UP}
 * receive traffic.
 *
 * @param refreshInterval how often candidates are resolved and probed
 * @param probeTimeout how long a readiness probe may take
 * @param readinessPath the readiness endpoint of the services, on the port the gateway
 * routes to (Spring Boot serves the readiness group there as {@code /readyz} with
 * {@code management.endpoint.health.probes.add-additional-paths})
 * @param services the candidates of each service, by service id
 */
@Validated
@ConfigurationProperties("platform.discovery")
public record DiscoveryProperties(@DefaultValue("2s") Duration refreshInterval,
		@DefaultValue("1s") Duration probeTimeout, @DefaultValue("/readyz") String readinessPath,
		@NotNull Map<String, ServiceCandidates> services) {

	/**
	 * The candidates of one service.
	 *
	 * @param urls every address an instance may have, for example
	 * {@code http://127.0.0.1:8081}; a fragment {@code #weight=2} gives an instance twice
	 * the share of users
	 * @param dns {@code host:port} whose every DNS address is an instance, used instead
	 * of {@code urls} when set
	 */
	public record ServiceCandidates(@DefaultValue List<URI> urls, @Nullable String dns) {
	}

}
