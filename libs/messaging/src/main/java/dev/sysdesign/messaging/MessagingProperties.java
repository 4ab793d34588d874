package dev.sysdesign.messaging;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service sends and receives messages ({@code platform.messaging.*}).
 *
 * @param retryDelays the delay of each retry tier: a message that fails transiently is
 * retried once per tier, then dead-lettered (default 1 s, 10 s, 60 s)
 * @param deliveryLimit how often the broker redelivers a message whose consumer died
 * before it dead-letters it (the crash-loop backstop; retries through the tiers do not
 * count)
 * @param relay the outbox relay
 * @param inbox the inbox's purge
 */
@ConfigurationProperties("platform.messaging")
public record MessagingProperties(@DefaultValue( {
		"1s", "10s", "60s" }) List<Duration> retryDelays, @DefaultValue("20") int deliveryLimit,
		@DefaultValue Relay relay, @DefaultValue Inbox inbox){

	public MessagingProperties {
		retryDelays = List.copyOf(retryDelays);
		if (deliveryLimit < 1) {
			throw new IllegalArgumentException("platform.messaging.delivery-limit must be at least 1");
		}
	}

	/**
	 * The outbox relay.
	 *
	 * @param batchSize rows published per transaction
	 * @param pollInterval the longest pause between two looks at the outbox (it is also
	 * woken up after every commit that wrote rows)
	 * @param confirmTimeout how long to wait for the broker's confirmations
	 * @param maxBackoff the longest wait before a failed row is tried again
	 * @param linger how long the relay waits after being woken up before it takes a
	 * batch, so that the commits of a busy moment share one transaction
	 */
	public record Relay(@DefaultValue("100") int batchSize, @DefaultValue("200ms") Duration pollInterval,
			@DefaultValue("5s") Duration confirmTimeout, @DefaultValue("30s") Duration maxBackoff,
			@DefaultValue("5ms") Duration linger) {

		OutboxRelay.Settings settings() {
			return new OutboxRelay.Settings(this.batchSize, this.pollInterval, this.confirmTimeout, this.maxBackoff,
					this.linger);
		}

	}

	/**
	 * The inbox keeps the id of every processed message for {@code retention}: longer
	 * than the broker can hand a message back (retry tiers, a consumer that held it until
	 * its timeout, an outage of the broker), so that a redelivery is still recognised;
	 * older ids are purged every {@code purgeInterval}, {@code purgeBatchSize} rows per
	 * statement.
	 *
	 * @param retention how long a processed message's id is kept
	 * @param purgeInterval how often older ids are purged
	 * @param purgeBatchSize rows deleted per statement (short transactions)
	 */
	public record Inbox(@DefaultValue("7d") Duration retention, @DefaultValue("1m") Duration purgeInterval,
			@DefaultValue("1000") int purgeBatchSize) {
	}

}
