package dev.sysdesign.session.system;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Metric {@code sessions.active}: the sessions in Redis that have not expired, counted in
 * the background ({@link #refresh()}, run by a {@code BackgroundRefresh}), never on a
 * scrape: the members of Spring Session's expiration index
 * ({@code <namespace>:sessions:expirations}, scored by expiry time) that expire after
 * now, one {@code ZCOUNT}. The command is bounded by the client's timeout; while Redis
 * does not answer, the gauge is NaN. Every instance counts the same sessions: read it
 * with {@code max}, not {@code sum}.
 */
class ActiveSessions {

	private static final Logger log = LoggerFactory.getLogger(ActiveSessions.class);

	private final StringRedisTemplate redis;

	private final String expirations;

	private final AtomicLong count = new AtomicLong(Double.doubleToLongBits(Double.NaN));

	ActiveSessions(StringRedisTemplate redis, String namespace, MeterRegistry meters) {
		this.redis = redis;
		this.expirations = namespace + ":sessions:expirations";
		Gauge.builder("sessions.active", this.count, (bits) -> Double.longBitsToDouble(bits.get()))
			.description("Sessions in Redis that have not expired (the same on every instance)")
			.register(meters);
	}

	void refresh() {
		try {
			Long sessions = this.redis.opsForZSet()
				.count(this.expirations, System.currentTimeMillis(), Double.POSITIVE_INFINITY);
			this.count.set(Double.doubleToLongBits((sessions != null) ? sessions : Double.NaN));
		}
		catch (RuntimeException ex) {
			this.count.set(Double.doubleToLongBits(Double.NaN));
			log.debug("Active sessions not counted: {}", ex.toString());
		}
	}

}
