package dev.sysdesign.orders.live;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The live order-status connections ({@code WS /ws/orders}).
 *
 * @param maxConnectionsPerUser open connections a user may hold on one instance (the
 * gateway sends each user to one instance, so this is in effect per user); further
 * handshakes get 429
 * @param sendTimeLimit how long one write to a client may take: a client that does not
 * read for longer is closed (4500) instead of holding a thread
 * @param sendBufferSizeLimit how much may wait for a slow client before it is closed
 * (4500)
 */
@Validated
@ConfigurationProperties("orders.live")
public record LiveProperties(@DefaultValue("8") @Min(1) int maxConnectionsPerUser,
		@DefaultValue("5s") Duration sendTimeLimit, @DefaultValue("64KB") DataSize sendBufferSizeLimit) {
}
