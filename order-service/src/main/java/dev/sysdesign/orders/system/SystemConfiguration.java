package dev.sysdesign.orders.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Cross-cutting setup: the clock (UTC) and scheduled jobs.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SystemConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
