package dev.sysdesign.orders.order;

import java.util.Arrays;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sysdesign.support.metrics.DatabaseGauge;

/**
 * The orders operators watch, counted in the background on the primary
 * ({@code DatabaseGauges}): those placed in the last 24 hours by their status now — a
 * growing {@code PENDING} count means the worker's results are not arriving. Bounded to a
 * day so that each count is a range of the {@code (status, created_at)} index, not a scan
 * of every order ever placed.
 */
@Configuration(proxyBeanMethods = false)
class OrderMetricsConfiguration {

	@Bean
	DatabaseGauge ordersByStatus() {
		return DatabaseGauge.byTag("orders.by.status", "Orders placed in the last 24 hours, by their status now",
				"SELECT status, COUNT(*) FROM purchase_order WHERE status IN ('PENDING', 'CONFIRMED', 'REJECTED', "
						+ "'CANCELLED') AND created_at >= UTC_TIMESTAMP(3) - INTERVAL 1 DAY GROUP BY status",
				"status", Arrays.stream(OrderStatus.values()).map(OrderStatus::name).toList());
	}

}
