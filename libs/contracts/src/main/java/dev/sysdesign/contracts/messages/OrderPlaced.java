package dev.sysdesign.contracts.messages;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * {@code order.placed}: a new order, for worker-service to authorise its payment.
 *
 * @param orderId the order, a UUID
 * @param userId its owner
 * @param items its lines, at least one
 * @param totalCents the amount to authorise: the sum of the lines
 */
public record OrderPlaced(String orderId, long userId, List<Item> items, long totalCents) {

	public OrderPlaced(@Nullable String orderId, long userId, @Nullable List<Item> items, long totalCents) {
		this.orderId = Fields.uuid(orderId, "orderId");
		this.userId = Fields.positive(userId, "userId");
		if (items == null || items.isEmpty()) {
			throw new InvalidPayloadException("items is missing or empty");
		}
		this.items = List.copyOf(items);
		long sum = this.items.stream().mapToLong((item) -> item.quantity() * item.unitPriceCents()).sum();
		if (sum != totalCents) {
			throw new InvalidPayloadException("totalCents " + totalCents + " is not the sum of the items " + sum);
		}
		this.totalCents = totalCents;
	}

	/**
	 * A line of {@code order.placed}.
	 *
	 * @param sku the product
	 * @param quantity the units, positive
	 * @param unitPriceCents the price of one unit, not negative
	 */
	public record Item(String sku, int quantity, long unitPriceCents) {

		public Item(@Nullable String sku, int quantity, long unitPriceCents) {
			this.sku = Fields.text(sku, "sku");
			this.quantity = (int) Fields.positive(quantity, "quantity");
			this.unitPriceCents = Fields.notNegative(unitPriceCents, "unitPriceCents");
		}

	}

}
