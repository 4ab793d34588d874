package dev.sysdesign.orders.order;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.sysdesign.contracts.messages.Messages;
import dev.sysdesign.contracts.messages.OrderCancelled;
import dev.sysdesign.contracts.messages.OrderPlaced;
import dev.sysdesign.messaging.Outbox;

/**
 * The events of an order's life, written to the outbox in the transaction of the change
 * they report, as the message types of {@code libs/contracts} ({@link Messages}): what
 * worker-service and the other order-service instances read is what is written here.
 */
@Component
public class OrderEvents {

	private final Outbox outbox;

	private final ApplicationEventPublisher local;

	OrderEvents(Outbox outbox, ApplicationEventPublisher local) {
		this.outbox = outbox;
		this.local = local;
	}

	/**
	 * Writes what an event means for the other services to the outbox, in the current
	 * transaction.
	 * @param order the order, persisted
	 * @param event what it recorded
	 */
	void publish(Order order, OrderEvent event) {
		switch (event) {
			case OrderEvent.Placed placed ->
				this.outbox.append(Messages.ORDER_PLACED,
						new OrderPlaced(order.id().toString(), order.userId(), order.lines()
							.stream()
							.map((line) -> new OrderPlaced.Item(line.sku(), line.quantity(), line.unitPriceCents()))
							.toList(), order.totalCents()));
			case OrderEvent.Cancelled cancelled -> this.outbox.append(Messages.ORDER_CANCELLED,
					new OrderCancelled(order.id().toString(), order.userId(), cancelled.reason()));
			case OrderEvent.StatusChanged changed -> {
				this.outbox.append(Messages.ORDER_STATUS_CHANGED,
						new dev.sysdesign.contracts.messages.OrderStatusChanged(order.id().toString(), order.userId(),
								order.status().name(), order.updatedAt()));
				this.local.publishEvent(new OrderChanged(order.id()));
			}
			case OrderEvent.StockReleased released -> {
				// the catalog reports its own changes
			}
		}
	}

}
