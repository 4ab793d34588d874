package dev.sysdesign.orders.order.web;

import java.time.Instant;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sysdesign.orders.order.Order;
import dev.sysdesign.orders.order.OrderId;
import dev.sysdesign.orders.order.OrderLine;
import dev.sysdesign.support.identity.Caller;

/**
 * The framework's ceiling for the cache benchmark (bench/cache.sh): the same request
 * handling, identity and JSON as {@code GET /api/orders/{id}}, answering a constant
 * order. Off unless {@code orders.bench.constant-endpoint=true}; never routed by the
 * gateway.
 */
@RestController
@ConditionalOnBooleanProperty("orders.bench.constant-endpoint")
class ConstantOrderController {

	private final OrderResponse constant = OrderResponse.of(Order.place(OrderId.next(), 1,
			List.of(new OrderLine("KB-001", 1, 8900), new OrderLine("MS-002", 2, 2500)), Instant.now()));

	@GetMapping("/bench/order")
	OrderResponse order(Caller caller) {
		return this.constant;
	}

}
