package dev.sysdesign.worker.payment;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.sysdesign.messaging.TransientFailureException;

/**
 * A stand-in for an external payment provider: each call takes the configured latency,
 * fails transiently at the configured rate, declines amounts above a limit, and records
 * every authorisation it grants (and every void) in the {@code payment_authorization}
 * ledger.
 * <p>
 * It runs in the caller's transaction, so an authorisation whose processing rolls back
 * (the JVM died, the commit failed) is rolled back with it: the simulator's ledger is
 * exactly what a provider honouring idempotency keys would hold. A real provider is
 * called with the order id as its idempotency key for the same guarantee.
 * <p>
 * Each authorisation is observed as {@code payment.authorize}: a span of the order's
 * trace and a timer (by {@code error}).
 */
@Component
public class PaymentSimulator {

	private final JdbcClient jdbc;

	private final PaymentProperties properties;

	private final Clock clock;

	private final ObservationRegistry observations;

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile Set<Long> unavailableForUsers;

	private final Counter authorized;

	private final Counter declined;

	private final Counter failed;

	private final Counter voided;

	PaymentSimulator(JdbcClient jdbc, PaymentProperties properties, Clock clock, MeterRegistry meters,
			ObservationRegistry observations) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
		this.observations = observations;
		this.unavailableForUsers = Set.copyOf(properties.unavailableForUsers());
		this.authorized = outcome(meters, "authorized");
		this.declined = outcome(meters, "declined");
		this.failed = outcome(meters, "failed");
		this.voided = Counter.builder("payments.voids").description("Authorisations voided").register(meters);
		Gauge.builder("payments.in-flight", this.inFlight, AtomicInteger::get)
			.description("Authorisations in progress")
			.register(meters);
	}

	private static Counter outcome(MeterRegistry meters, String outcome) {
		return Counter.builder("payments.authorizations")
			.description("Authorisation requests by outcome")
			.tag("outcome", outcome)
			.register(meters);
	}

	/**
	 * Asks for an authorisation, inside the caller's transaction.
	 * @param orderId the order paid for
	 * @param userId the payer
	 * @param amountCents the amount
	 * @return the decision
	 * @throws TransientFailureException when the provider is (simulated to be)
	 * unavailable
	 */
	public Decision authorize(String orderId, long userId, long amountCents) {
		return Observation.createNotStarted("payment.authorize", this.observations)
			.contextualName("payment authorize")
			.lowCardinalityKeyValue("payment.provider", "simulated")
			.highCardinalityKeyValue("order.id", orderId)
			.observe(() -> call(orderId, userId, amountCents));
	}

	private Decision call(String orderId, long userId, long amountCents) {
		this.inFlight.incrementAndGet();
		try {
			pause(this.properties.slowUsers().contains(userId) ? this.properties.slowLatency()
					: this.properties.latency());
			if (this.unavailableForUsers.contains(userId) || (this.properties.failureRate() > 0
					&& ThreadLocalRandom.current().nextDouble() < this.properties.failureRate())) {
				this.failed.increment();
				throw new TransientFailureException("payment provider unavailable");
			}
			if (amountCents > this.properties.declineAboveCents()) {
				this.declined.increment();
				return new Decision(null, "payment declined: amount above the limit");
			}
			String paymentId = "pay_" + UUID.randomUUID().toString().replace("-", "");
			this.jdbc
				.sql("INSERT INTO payment_authorization (id, order_id, amount_cents, status, authorized_at) "
						+ "VALUES (?, ?, ?, 'AUTHORIZED', ?)")
				.params(paymentId, orderId, amountCents, now())
				.update();
			this.authorized.increment();
			return new Decision(paymentId, null);
		}
		finally {
			this.inFlight.decrementAndGet();
		}
	}

	/**
	 * The fault switch: makes the provider unavailable for some users (their
	 * authorisations fail transiently), or available again. Starts as
	 * {@code worker.payment.unavailable-for-users}.
	 * @param userIds the users, empty for none
	 */
	public void setUnavailableForUsers(Collection<Long> userIds) {
		this.unavailableForUsers = Set.copyOf(userIds);
	}

	/**
	 * Voids an authorisation, inside the caller's transaction.
	 * @param paymentId the authorisation
	 * @return whether it was active (and is now voided)
	 */
	public boolean voidAuthorization(String paymentId) {
		int changed = this.jdbc.sql(
				"UPDATE payment_authorization SET status = 'VOIDED', voided_at = ? WHERE id = ? AND status = 'AUTHORIZED'")
			.params(now(), paymentId)
			.update();
		if (changed == 1) {
			this.voided.increment();
		}
		return changed == 1;
	}

	private LocalDateTime now() {
		return LocalDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

	private static void pause(Duration latency) {
		if (latency.isZero() || latency.isNegative()) {
			return;
		}
		try {
			Thread.sleep(latency);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TransientFailureException("interrupted while waiting for the payment provider");
		}
	}

	/**
	 * The provider's answer.
	 *
	 * @param paymentId the authorisation, when granted
	 * @param declineReason why it was declined, otherwise
	 */
	public record Decision(@Nullable String paymentId, @Nullable String declineReason) {

		public boolean approved() {
			return this.paymentId != null;
		}

	}

}
