package dev.sysdesign.gateway.balancer;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.sysdesign.contracts.Headers;

/**
 * How requests are spread over the instances of each service.
 *
 * @param consistentHashServices services balanced by consistent hashing on the key; every
 * other service, and requests without a key, use round-robin
 * @param keySource where the key is read: {@code header}, {@code cookie} or
 * {@code attribute}
 * @param keyName the header, cookie or exchange attribute holding the key (the
 * authenticated user id, {@code X-User-Id}, by default)
 * @param boundedLoadFactor 0 for plain consistent hashing; above 1 (for example 1.25) an
 * instance already serving more than that factor times its share of the requests in
 * flight passes the request to the key's next-ranked instance
 * @param usersWindow how far back "distinct users routed" counts
 */
@ConfigurationProperties("platform.balancer")
public record BalancerProperties(@DefaultValue("order-service") List<String> consistentHashServices,
		@DefaultValue("header") KeySource keySource, @DefaultValue(Headers.USER_ID) String keyName,
		@DefaultValue("0") double boundedLoadFactor, @DefaultValue("5m") Duration usersWindow) {

	/** Where a request's balancing key is. */
	public enum KeySource {

		/** A request header. */
		HEADER,
		/** A cookie. */
		COOKIE,
		/** An exchange attribute set by an earlier filter. */
		ATTRIBUTE

	}

}
