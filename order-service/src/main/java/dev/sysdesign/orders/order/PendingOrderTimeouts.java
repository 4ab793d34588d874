package dev.sysdesign.orders.order;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Rejects orders left {@code PENDING} too long (reason {@code timeout}), releasing their
 * stock: the worker never decided them (its queue was down for long, or their message was
 * dead-lettered). A cluster-wide job: one instance runs each slot, and each rejection
 * re-checks the order under its row lock, so an order is rejected once even if a slot ran
 * twice.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PendingOrderTimeouts.Settings.class)
class PendingOrderTimeouts {

	/** The job's name in {@code scheduled_tasks}. */
	static final String JOB = "reject-timed-out-orders";

	private static final Logger log = LoggerFactory.getLogger(PendingOrderTimeouts.class);

	@Bean
	RecurringTask<Void> rejectTimedOutOrders(OrderRepository orders, OrderService service, Settings settings,
			Clock clock, MeterRegistry meters) {
		Counter rejected = Counter.builder("orders.timed-out")
			.description("Orders rejected for being pending too long")
			.register(meters);
		return Tasks.recurring(JOB, FixedDelay.of(settings.checkInterval())).execute((instance, context) -> {
			int count = 0;
			List<OrderId> due;
			do {
				due = orders.findPendingPlacedBefore(clock.instant().minus(settings.timeout()), settings.batchSize());
				for (OrderId id : due) {
					if (service.rejectIfStillPending(id)) {
						count++;
						rejected.increment();
					}
				}
			}
			while (due.size() == settings.batchSize());
			if (count > 0) {
				log.info("Rejected {} orders pending for more than {}", count, settings.timeout());
			}
		});
	}

	/**
	 * When a pending order times out ({@code orders.pending.*}).
	 *
	 * @param timeout how long an order may stay pending (default 15 min)
	 * @param checkInterval how often the job looks for such orders
	 * @param batchSize orders read per query
	 */
	@ConfigurationProperties("orders.pending")
	record Settings(@DefaultValue("15m") Duration timeout, @DefaultValue("30s") Duration checkInterval,
			@DefaultValue("500") int batchSize) {
	}

}
