package dev.sysdesign.contracts.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * {@code order.cancelled}: an order that will not go ahead, so that worker-service voids
 * any payment it authorised.
 *
 * @param orderId the order, a UUID
 * @param userId its owner
 * @param reason absent for a cancellation by the owner; {@code timeout} when
 * order-service rejected the order for being pending too long
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderCancelled(String orderId, long userId, @Nullable String reason) {

	public OrderCancelled(@Nullable String orderId, long userId, @Nullable String reason) {
		this.orderId = Fields.uuid(orderId, "orderId");
		this.userId = Fields.positive(userId, "userId");
		this.reason = Fields.optionalText(reason, "reason");
	}

}
