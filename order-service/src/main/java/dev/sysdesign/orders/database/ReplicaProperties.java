package dev.sysdesign.orders.database;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The read replica and when to skip it.
 *
 * @param url the replica's JDBC URL
 * @param username its user (the same account as on the primary, replicated)
 * @param password its password
 * @param poolSize connections in the replica pool
 * @param connectionTimeout how long a read waits for a replica connection before it is
 * served by the primary
 * @param maxLag lag beyond which the replica is skipped
 * @param checkInterval how often the replica's replication state is read
 */
@Validated
@ConfigurationProperties("platform.datasource.replica")
public record ReplicaProperties(@NotBlank String url, @NotBlank String username, String password,
		@DefaultValue("10") @Min(1) int poolSize, @DefaultValue("250ms") Duration connectionTimeout,
		@DefaultValue("2s") Duration maxLag, @DefaultValue("1s") Duration checkInterval) {
}
