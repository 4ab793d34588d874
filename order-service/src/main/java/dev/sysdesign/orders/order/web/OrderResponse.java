package dev.sysdesign.orders.order.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import dev.sysdesign.orders.order.Order;
import dev.sysdesign.orders.order.OrderStatus;

/**
 * An order as the API shows it; {@code failureReason} is omitted unless rejected.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OrderResponse(String id, OrderStatus status, List<Item> items, long totalCents, Instant createdAt,
		Instant updatedAt, @Nullable String failureReason) {

	static OrderResponse of(Order order) {
		return new OrderResponse(order.id().toString(), order.status(),
				order.lines()
					.stream()
					.map((line) -> new Item(line.sku(), line.quantity(), line.unitPriceCents()))
					.toList(),
				order.totalCents(), order.createdAt(), order.updatedAt(), order.failureReason());
	}

	record Item(String sku, int quantity, long unitPriceCents) {
	}

}
