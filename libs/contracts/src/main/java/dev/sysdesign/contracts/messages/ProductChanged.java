package dev.sysdesign.contracts.messages;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * {@code product.changed}: products whose stock changed; every order-service instance
 * drops them from its caches.
 *
 * @param skus the products, sorted, without duplicates
 */
public record ProductChanged(List<String> skus) {

	public ProductChanged(@Nullable List<String> skus) {
		if (skus == null || skus.isEmpty()) {
			throw new InvalidPayloadException("skus is missing or empty");
		}
		skus.forEach((sku) -> Fields.text(sku, "skus[]"));
		this.skus = skus.stream().distinct().sorted().toList();
	}

}
