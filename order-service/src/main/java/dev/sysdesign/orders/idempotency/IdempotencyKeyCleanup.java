package dev.sysdesign.orders.idempotency;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes expired {@code Idempotency-Key}s. Every instance may run it: deletes of expired
 * rows are idempotent, and bounded batches keep each transaction short.
 */
@Component
@EnableConfigurationProperties(IdempotencyProperties.class)
class IdempotencyKeyCleanup {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyCleanup.class);

	private static final int BATCH = 1000;

	private final IdempotencyKeys keys;

	private final Clock clock;

	IdempotencyKeyCleanup(IdempotencyKeys keys, Clock clock) {
		this.keys = keys;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${orders.idempotency.cleanup-interval:10m}", initialDelayString = "1m")
	void deleteExpired() {
		int total = 0;
		int deleted;
		do {
			deleted = this.keys.deleteExpired(this.clock.instant(), BATCH);
			total += deleted;
		}
		while (deleted == BATCH);
		if (total > 0) {
			log.info("Deleted {} expired idempotency keys", total);
		}
	}

}
