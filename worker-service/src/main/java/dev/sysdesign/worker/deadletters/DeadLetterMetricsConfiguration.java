package dev.sysdesign.worker.deadletters;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sysdesign.support.metrics.DatabaseGauge;

/**
 * Dead letters waiting for an operator (not replayed), counted in the background on the
 * primary ({@code DatabaseGauges}); an alert fires while there are any.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterMetricsConfiguration {

	@Bean
	DatabaseGauge deadLettersPending() {
		return DatabaseGauge.of("dead-letters.pending", "Dead letters not replayed", null,
				"SELECT COUNT(*) FROM dead_letter WHERE replayed_at IS NULL");
	}

}
