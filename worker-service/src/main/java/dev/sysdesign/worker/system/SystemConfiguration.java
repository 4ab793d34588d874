package dev.sysdesign.worker.system;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sysdesign.worker.payment.PaymentProperties;

/**
 * Cross-cutting setup: the clock (UTC) and the payment simulator's settings.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PaymentProperties.class)
class SystemConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
