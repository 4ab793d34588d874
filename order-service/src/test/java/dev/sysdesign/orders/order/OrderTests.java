package dev.sysdesign.orders.order;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OrderTests {

	private static final Instant PLACED = Instant.parse("2026-11-26T06:11:37Z");

	private static final Instant LATER = PLACED.plusSeconds(5);

	private Order pending() {
		return Order.place(OrderId.next(), 7,
				List.of(new OrderLine("KB-001", 2, 8900), new OrderLine("MS-002", 1, 2900)), PLACED);
	}

	@Test
	void placedOrderIsPendingWithTotalFromLines() {
		Order order = pending();
		assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
		assertThat(order.totalCents()).isEqualTo(20700);
		assertThat(order.createdAt()).isEqualTo(PLACED).isEqualTo(order.updatedAt());
		assertThat(order.isOwnedBy(7)).isTrue();
		assertThat(order.isOwnedBy(8)).isFalse();
	}

	@Test
	void orderNeedsALine() {
		assertThatIllegalArgumentException().isThrownBy(() -> Order.place(OrderId.next(), 7, List.of(), PLACED));
	}

	@Test
	void pendingOrderConfirms() {
		Order order = pending();
		order.confirm("pay-1", LATER);
		assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
		assertThat(order.paymentId()).isEqualTo("pay-1");
		assertThat(order.updatedAt()).isEqualTo(LATER);
		assertThat(order.releasedStock()).isFalse();
	}

	@Test
	void pendingOrderRejectsWithReasonAndReleasesStock() {
		Order order = pending();
		order.reject("payment declined", LATER);
		assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
		assertThat(order.failureReason()).isEqualTo("payment declined");
		assertThat(order.releasedStock()).isTrue();
	}

	@Test
	void onlyPendingOrdersChange() {
		Order cancelled = pending();
		cancelled.cancel(LATER);
		assertThat(cancelled.releasedStock()).isTrue();
		assertThatExceptionOfType(OrderStateException.class).isThrownBy(() -> cancelled.confirm("pay-1", LATER))
			.satisfies((ex) -> assertThat(ex.current()).isEqualTo(OrderStatus.CANCELLED));
		assertThatExceptionOfType(OrderStateException.class).isThrownBy(() -> cancelled.cancel(LATER));
		Order confirmed = pending();
		confirmed.confirm("pay-2", LATER);
		assertThatExceptionOfType(OrderStateException.class).isThrownBy(() -> confirmed.cancel(LATER));
		assertThatExceptionOfType(OrderStateException.class).isThrownBy(() -> confirmed.reject("late", LATER));
		assertThat(confirmed.status()).isEqualTo(OrderStatus.CONFIRMED);
	}

	@Test
	void idsAreTimeOrderedVersion7Uuids() {
		OrderId first = OrderId.next();
		OrderId second = OrderId.next();
		assertThat(first.value().version()).isEqualTo(7);
		assertThat(first.value().variant()).isEqualTo(2);
		assertThat(first.value().getMostSignificantBits() >>> 16)
			.isLessThanOrEqualTo(second.value().getMostSignificantBits() >>> 16);
		assertThat(OrderId.of(first.toString())).isEqualTo(first);
	}

	@Test
	void fingerprintIgnoresLineOrderButNotQuantities() {
		String ab = RequestFingerprint.of(List.of(new RequestedItem("A", 1), new RequestedItem("B", 2)));
		String ba = RequestFingerprint.of(List.of(new RequestedItem("B", 2), new RequestedItem("A", 1)));
		String other = RequestFingerprint.of(List.of(new RequestedItem("A", 1), new RequestedItem("B", 3)));
		assertThat(ab).isEqualTo(ba).hasSize(64).isNotEqualTo(other);
	}

	@Test
	void eachTransitionRecordsWhatItMeansInOrder() {
		Order placed = pending();
		assertThat(placed.takeEvents()).containsExactly(new OrderEvent.Placed());
		assertThat(placed.takeEvents()).as("taken once").isEmpty();

		Order confirmed = pending();
		confirmed.takeEvents();
		confirmed.confirm("pay-1", LATER);
		assertThat(confirmed.takeEvents()).containsExactly(new OrderEvent.StatusChanged());

		Order declined = pending();
		declined.takeEvents();
		declined.reject("payment declined", LATER);
		assertThat(declined.takeEvents()).containsExactly(new OrderEvent.StockReleased(),
				new OrderEvent.StatusChanged());

		Order cancelled = pending();
		cancelled.takeEvents();
		cancelled.cancel(LATER);
		assertThat(cancelled.takeEvents()).containsExactly(new OrderEvent.StockReleased(),
				new OrderEvent.Cancelled(null), new OrderEvent.StatusChanged());
	}

	@Test
	void expiredOrderIsRejectedWithTimeoutAndTellsTheWorker() {
		Order order = pending();
		order.takeEvents();
		order.expire(LATER);
		assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
		assertThat(order.failureReason()).isEqualTo(Order.TIMEOUT_REASON);
		assertThat(order.releasedStock()).isTrue();
		assertThat(order.takeEvents()).containsExactly(new OrderEvent.StockReleased(), new OrderEvent.StatusChanged(),
				new OrderEvent.Cancelled(Order.TIMEOUT_REASON));
	}

	@Test
	void refusedTransitionRecordsNothing() {
		Order order = pending();
		order.confirm("pay-1", LATER);
		order.takeEvents();
		assertThatExceptionOfType(OrderStateException.class).isThrownBy(() -> order.expire(LATER));
		assertThat(order.takeEvents()).isEmpty();
		assertThat(order.failureReason()).isNull();
	}

	@Test
	void fingerprintSeparatesSkuFromQuantity() {
		// "A1" x 2 and "A" x 12 would collide if sku and quantity were simply
		// concatenated
		assertThat(RequestFingerprint.of(List.of(new RequestedItem("A1", 2))))
			.isNotEqualTo(RequestFingerprint.of(List.of(new RequestedItem("A", 12))));
	}

}
