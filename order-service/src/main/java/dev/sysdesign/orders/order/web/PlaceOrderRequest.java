package dev.sysdesign.orders.order.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/orders}: 1 to 100 lines of distinct skus, 1 to 1000 units
 * each.
 *
 * @param items the lines
 */
@PlaceOrderRequest.DistinctSkus
record PlaceOrderRequest(@NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Item> items) {

	/**
	 * One line.
	 *
	 * @param sku the product
	 * @param quantity the units
	 */
	record Item(@NotBlank @Size(max = 32) String sku, @NotNull @Min(1) @Max(1000) Integer quantity) {
	}

	/** No sku may appear twice: ask for more units instead. */
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@Constraint(validatedBy = DistinctSkusValidator.class)
	@interface DistinctSkus {

		String message() default "appears more than once; order more units on one line instead";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	static class DistinctSkusValidator implements ConstraintValidator<DistinctSkus, PlaceOrderRequest> {

		@Override
		public boolean isValid(PlaceOrderRequest request, ConstraintValidatorContext context) {
			if (request.items() == null) {
				return true;
			}
			Set<String> seen = new HashSet<>();
			boolean valid = true;
			for (int i = 0; i < request.items().size(); i++) {
				Item item = request.items().get(i);
				if (item != null && item.sku() != null && !seen.add(item.sku())) {
					valid = false;
					context.disableDefaultConstraintViolation();
					context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
						.addPropertyNode("items[" + i + "].sku")
						.addConstraintViolation();
				}
			}
			return valid;
		}

	}

}
