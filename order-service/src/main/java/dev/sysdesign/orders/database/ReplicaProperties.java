package dev.sysdesign.orders.database;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The read replicas and when to skip one.
 *
 * @param url one replica endpoint's JDBC URL (a replicas' Service, a reader endpoint):
 * reads use it alone. Blank: every node of the cluster
 * ({@code platform.datasource.nodes}) but the primary is a replica, and the set follows
 * the primary when it moves
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
public record ReplicaProperties(@DefaultValue("") String url, @NotBlank String username, String password,
		@DefaultValue("10") @Min(1) int poolSize, @DefaultValue("250ms") Duration connectionTimeout,
		@DefaultValue("2s") Duration maxLag, @DefaultValue("1s") Duration checkInterval) {
}
