package dev.sysdesign.orders.catalog.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.sysdesign.orders.catalog.Catalog;
import dev.sysdesign.orders.catalog.Product;
import dev.sysdesign.support.identity.RequiresRole;

/**
 * The catalog over HTTP: {@code GET /api/products} for everyone, restock for
 * administrators.
 */
@RestController
class CatalogController {

	private final Catalog catalog;

	CatalogController(Catalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/api/products")
	List<ProductResponse> products() {
		return this.catalog.products().stream().map(ProductResponse::of).toList();
	}

	@PostMapping("/api/admin/products/{sku}/restock")
	@RequiresRole("ADMIN")
	ProductResponse restock(@PathVariable String sku, @RequestBody @Valid RestockRequest request) {
		return ProductResponse.of(this.catalog.restock(sku, request.quantity()));
	}

	record ProductResponse(String sku, String name, long unitPriceCents, int stock) {

		static ProductResponse of(Product product) {
			return new ProductResponse(product.sku(), product.name(), product.unitPriceCents(), product.stock());
		}

	}

	record RestockRequest(@NotNull @Min(1) @Max(1_000_000) Integer quantity) {
	}

}
