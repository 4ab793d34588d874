package dev.sysdesign.worker.payment;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The simulated payment provider ({@code worker.payment.*}).
 *
 * @param latency how long each authorisation takes
 * @param failureRate the share of authorisations that fail transiently (0 to 1): the
 * message is retried through the retry tiers
 * @param declineAboveCents amounts above this are declined (a permanent failure: the
 * order is rejected)
 * @param unavailableForUsers fault injection: authorisations for these users always fail
 * transiently (their messages end in the dead letters)
 * @param slowUsers fault injection: authorisations for these users take
 * {@code slowLatency} (to show races with cancellations)
 * @param slowLatency the latency for {@code slowUsers}
 */
@ConfigurationProperties("worker.payment")
public record PaymentProperties(@DefaultValue("100ms") Duration latency, @DefaultValue("0") double failureRate,
		@DefaultValue("1000000") long declineAboveCents, @DefaultValue List<Long> unavailableForUsers,
		@DefaultValue List<Long> slowUsers, @DefaultValue("2s") Duration slowLatency) {

	public PaymentProperties {
		if (failureRate < 0 || failureRate > 1) {
			throw new IllegalArgumentException("worker.payment.failure-rate must be between 0 and 1");
		}
		unavailableForUsers = List.copyOf(unavailableForUsers);
		slowUsers = List.copyOf(slowUsers);
	}

}
