package dev.sysdesign.orders.catalog;

import java.util.Collection;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.sysdesign.messaging.Outbox;

/**
 * Changes of the catalog: {@code product.changed} on the service's event exchange
 * (written to the outbox in the transaction of the change, and fanned out to every
 * order-service instance, which drops the products from its caches), and a local
 * {@link ProductsChanged} event for this instance, acted on after the commit.
 */
@Component
public class CatalogEvents {

	/** The service's event exchange (the one {@code OrderEvents} publishes to). */
	public static final String EXCHANGE = "order-events";

	/** Products whose stock changed. */
	public static final String CHANGED = "product.changed";

	private final Outbox outbox;

	private final ApplicationEventPublisher events;

	CatalogEvents(Outbox outbox, ApplicationEventPublisher events) {
		this.outbox = outbox;
		this.events = events;
	}

	/**
	 * Reports, in the current transaction, that the stock of some products changed.
	 * @param skus the products
	 */
	public void stockChanged(Collection<String> skus) {
		List<String> sorted = skus.stream().distinct().sorted().toList();
		this.outbox.append(EXCHANGE, CHANGED, CHANGED, new Changed(sorted));
		this.events.publishEvent(new ProductsChanged(sorted));
	}

	/**
	 * {@code product.changed}.
	 *
	 * @param skus the products whose stock changed
	 */
	public record Changed(List<String> skus) {
	}

}
