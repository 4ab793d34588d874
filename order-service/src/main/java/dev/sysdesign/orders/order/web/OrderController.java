package dev.sysdesign.orders.order.web;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.sysdesign.orders.order.Order;
import dev.sysdesign.orders.order.OrderId;
import dev.sysdesign.orders.order.OrderNotFoundException;
import dev.sysdesign.orders.order.OrderPage;
import dev.sysdesign.orders.order.OrderQueries;
import dev.sysdesign.orders.order.OrderService;
import dev.sysdesign.orders.order.OrderStatus;
import dev.sysdesign.orders.order.RequestedItem;
import dev.sysdesign.support.identity.Caller;
import dev.sysdesign.contracts.Headers;

/**
 * The orders API. Every call acts for the gateway-authenticated caller and sees only the
 * caller's orders: another user's order is "not found".
 */
@RestController
@RequestMapping("/api/orders")
class OrderController {

	private final OrderService orders;

	private final OrderQueries queries;

	OrderController(OrderService orders, OrderQueries queries) {
		this.orders = orders;
		this.queries = queries;
	}

	@PostMapping
	ResponseEntity<OrderResponse> place(Caller caller,
			@RequestHeader(name = Headers.IDEMPOTENCY_KEY, required = false) @Nullable String key,
			@RequestBody @Valid PlaceOrderRequest request) {
		if (key != null && (key.isBlank() || key.length() > 255)) {
			throw new InvalidIdempotencyKeyException();
		}
		List<RequestedItem> items = request.items()
			.stream()
			.map((item) -> new RequestedItem(item.sku(), item.quantity()))
			.toList();
		Order order = this.orders.place(caller.userId(), items, key);
		return ResponseEntity.accepted()
			.location(URI.create("/api/orders/" + order.id()))
			.body(OrderResponse.of(order));
	}

	@GetMapping("/{id}")
	OrderResponse order(Caller caller, @PathVariable UUID id) {
		OrderId orderId = new OrderId(id);
		return this.queries.find(caller.userId(), orderId)
			.map(OrderResponse::of)
			.orElseThrow(() -> new OrderNotFoundException(orderId));
	}

	@GetMapping
	OrderPageResponse orders(Caller caller, @RequestParam(required = false) @Nullable OrderStatus status,
			@RequestParam(defaultValue = "0") @Min(0) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return OrderPageResponse.of(this.queries.list(caller.userId(), status, page, size));
	}

	@PostMapping("/{id}/cancel")
	OrderResponse cancel(Caller caller, @PathVariable UUID id) {
		return OrderResponse.of(this.orders.cancel(caller.userId(), new OrderId(id)));
	}

	record OrderPageResponse(List<OrderResponse> content, int page, int size, long totalElements, long totalPages) {

		static OrderPageResponse of(OrderPage page) {
			return new OrderPageResponse(page.content().stream().map(OrderResponse::of).toList(), page.page(),
					page.size(), page.totalElements(), page.totalPages());
		}

	}

}
