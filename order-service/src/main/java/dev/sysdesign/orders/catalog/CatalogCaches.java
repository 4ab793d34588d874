package dev.sysdesign.orders.catalog;

import java.util.List;
import java.util.Objects;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.sysdesign.orders.cache.CacheDeclaration;
import dev.sysdesign.orders.cache.JsonCodec;

/**
 * The catalog's cache: every product, under the single key {@value #ALL_PRODUCTS}
 * ({@link Catalog#products()}).
 */
@Configuration(proxyBeanMethods = false)
public class CatalogCaches {

	/** The catalog. */
	public static final String PRODUCTS = "products";

	/** The key of the whole catalog in {@link #PRODUCTS}. */
	public static final String ALL_PRODUCTS = "all";

	@Bean
	CacheDeclaration productsCache(JsonMapper json) {
		return new CacheDeclaration(PRODUCTS,
				JsonCodec.of(json, json.getTypeFactory().constructCollectionType(List.class, Product.class)));
	}

	/**
	 * Drops the catalog when a product's stock changed: on the instance that changed it
	 * after the commit, and on every instance when {@code product.changed} arrives.
	 */
	@Component
	static class CatalogCacheEviction {

		private final Cache products;

		CatalogCacheEviction(CacheManager caches) {
			this.products = Objects.requireNonNull(caches.getCache(PRODUCTS));
		}

		@TransactionalEventListener(fallbackExecution = true)
		@Order(Ordered.HIGHEST_PRECEDENCE)
		void productsChanged(ProductsChanged change) {
			this.products.evict(ALL_PRODUCTS);
		}

	}

}
