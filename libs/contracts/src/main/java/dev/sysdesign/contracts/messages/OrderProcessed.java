package dev.sysdesign.contracts.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * {@code order.processed}: worker-service's decision on an order's payment.
 *
 * @param orderId the order, a UUID
 * @param outcome {@code CONFIRMED} (authorised) or {@code REJECTED} (declined, failed)
 * @param reason why it was rejected; absent when confirmed
 * @param paymentId the authorisation of a confirmed order; absent when rejected
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderProcessed(String orderId, String outcome, @Nullable String reason, @Nullable String paymentId) {

	/** The outcome of an authorised payment. */
	public static final String CONFIRMED = "CONFIRMED";

	/** The outcome of a declined or failed payment. */
	public static final String REJECTED = "REJECTED";

	public OrderProcessed(@Nullable String orderId, @Nullable String outcome, @Nullable String reason,
			@Nullable String paymentId) {
		this.orderId = Fields.uuid(orderId, "orderId");
		if (!CONFIRMED.equals(outcome) && !REJECTED.equals(outcome)) {
			throw new InvalidPayloadException("outcome must be CONFIRMED or REJECTED, not " + outcome);
		}
		this.outcome = outcome;
		this.reason = Fields.optionalText(reason, "reason");
		this.paymentId = Fields.optionalText(paymentId, "paymentId");
		if (CONFIRMED.equals(outcome) && this.paymentId == null) {
			throw new InvalidPayloadException("a CONFIRMED result needs a paymentId");
		}
	}

	/**
	 * An authorised payment.
	 * @param orderId the order
	 * @param paymentId the authorisation
	 * @return the result
	 */
	public static OrderProcessed confirmed(String orderId, String paymentId) {
		return new OrderProcessed(orderId, CONFIRMED, null, paymentId);
	}

	/**
	 * A declined or failed payment.
	 * @param orderId the order
	 * @param reason why
	 * @return the result
	 */
	public static OrderProcessed rejected(String orderId, String reason) {
		return new OrderProcessed(orderId, REJECTED, reason, null);
	}

	/**
	 * Whether the payment was authorised.
	 * @return {@code true} for {@code CONFIRMED}
	 */
	@JsonIgnore
	public boolean isConfirmed() {
		return CONFIRMED.equals(this.outcome);
	}

}
