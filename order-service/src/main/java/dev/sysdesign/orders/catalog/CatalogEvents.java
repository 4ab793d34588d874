package dev.sysdesign.orders.catalog;

import java.util.Collection;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.sysdesign.contracts.messages.Messages;
import dev.sysdesign.contracts.messages.ProductChanged;
import dev.sysdesign.messaging.Outbox;

/**
 * Changes of the catalog: {@code product.changed} ({@link Messages#PRODUCT_CHANGED},
 * written to the outbox in the transaction of the change, and fanned out to every
 * order-service instance, which drops the products from its caches), and a local
 * {@link ProductsChanged} event for this instance, acted on after the commit.
 */
@Component
public class CatalogEvents {

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
		ProductChanged changed = new ProductChanged(List.copyOf(skus));
		this.outbox.append(Messages.PRODUCT_CHANGED, changed);
		this.events.publishEvent(new ProductsChanged(changed.skus()));
	}

}
