package dev.sysdesign.orders.database;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Read-your-writes: how long a user's reads wait on the replica for that user's last
 * write, and how long that write's position is remembered.
 *
 * @param maxWait the longest wait on the replica; past it the read goes to the primary
 * @param ttl how long a write's position is kept (longer than the replica's acceptable
 * lag)
 */
@ConfigurationProperties("orders.read-your-writes")
public record ReadYourWritesProperties(@DefaultValue("200ms") Duration maxWait, @DefaultValue("30s") Duration ttl) {
}
