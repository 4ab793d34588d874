package dev.sysdesign.orders.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long {@code Idempotency-Key}s are kept.
 *
 * @param ttl how long a key and its order are remembered
 * @param cleanupInterval how often expired keys are deleted
 */
@ConfigurationProperties("orders.idempotency")
public record IdempotencyProperties(@DefaultValue("24h") Duration ttl, @DefaultValue("10m") Duration cleanupInterval) {
}
