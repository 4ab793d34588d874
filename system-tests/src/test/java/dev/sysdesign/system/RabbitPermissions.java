package dev.sysdesign.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RabbitMQ resources each service touches, as its code declares them
 * ({@code MessagingTopology}, {@code OrderMessagingConfiguration},
 * {@code WorkerMessagingConfiguration}, {@code ReliableConsumer}, {@code DeadLetters}),
 * and the check that a user's configure/write/read patterns allow exactly these: every
 * resource the service needs, none that only the other service uses.
 * <p>
 * RabbitMQ checks <em>configure</em> to declare a queue or exchange, <em>write</em> on a
 * queue to bind it and on an exchange to publish to it (the default exchange is
 * {@code amq.default}), and <em>read</em> on a queue to consume from it and on an
 * exchange to bind a queue to it. Exchange and queue {@code dead-letters} share one name,
 * so a pattern cannot tell them apart.
 */
final class RabbitPermissions {

	private static final List<String> ORDER_EXCHANGES = List.of("order-events", "worker-events", "dead-letters");

	private RabbitPermissions() {
	}

	/**
	 * Asserts that the patterns of a service's user allow what it needs and nothing the
	 * other service alone uses.
	 * @param service {@code order-service} or {@code worker-service}
	 * @param permission the user's permission ({@code configure}, {@code write},
	 * {@code read} patterns)
	 * @param retryDelays the retry tiers ({@code MESSAGING_RETRY_DELAYS})
	 * @param what the description of the checked object
	 */
	static void assertLeastPrivilege(String service, Map<String, String> permission, List<Duration> retryDelays,
			String what) {
		String other = service.equals("order-service") ? "worker-service" : "order-service";
		for (String access : List.of("configure", "write", "read")) {
			Pattern pattern = Pattern.compile(String.valueOf(permission.get(access)));
			for (String resource : needs(service, access, retryDelays)) {
				assertThat(pattern.matcher(resource).matches())
					.as(what + ": " + service + " needs " + access + " on " + resource + " (pattern " + pattern + ")")
					.isTrue();
			}
			for (String resource : ownQueues(other, retryDelays)) {
				assertThat(pattern.matcher(resource).matches())
					.as(what + ": " + service + " must not " + access + " " + other + "'s queue " + resource)
					.isFalse();
			}
			assertThat(pattern.matcher("amq.rabbitmq.trace").matches())
				.as(what + ": " + service + " must not " + access + " the broker's own exchanges")
				.isFalse();
		}
	}

	/** The queues only a service declares, binds and consumes. */
	static List<String> ownQueues(String service, List<Duration> retryDelays) {
		List<String> queues = new ArrayList<>();
		List<String> workQueues = service.equals("order-service") ? List.of("order-service.order-processed")
				: List.of("worker.order-placed", "worker.order-cancelled");
		for (String queue : workQueues) {
			queues.add(queue);
			retryDelays.forEach((delay) -> queues.add(queue + ".retry." + delay.toMillis() + "ms"));
		}
		if (service.equals("order-service")) {
			// the per-instance fan-out queue (exclusive, auto-deleted)
			queues.add("order-service.status-changed." + UUID.randomUUID());
		}
		return queues;
	}

	private static List<String> needs(String service, String access, List<Duration> retryDelays) {
		List<String> own = ownQueues(service, retryDelays);
		List<String> resources = new ArrayList<>(own);
		boolean orders = service.equals("order-service");
		switch (access) {
			// every exchange the service's topology declares, and the dead-letter queue
			case "configure" -> resources.addAll(ORDER_EXCHANGES);
			// publications: its events, dead letters, retries and replays by queue name
			case "write" ->
				resources.addAll(List.of(orders ? "order-events" : "worker-events", "dead-letters", "amq.default"));
			// bindings to the exchanges it consumes from, and the dead-letter queue
			default -> resources.addAll(orders ? ORDER_EXCHANGES : List.of("order-events", "dead-letters"));
		}
		return resources;
	}

	/**
	 * The durations of a {@code MESSAGING_RETRY_DELAYS} value such as {@code 1s,10s,60s}.
	 */
	static List<Duration> retryDelays(String value) {
		List<Duration> delays = new ArrayList<>();
		for (String delay : value.split(",")) {
			String trimmed = delay.trim();
			long amount = Long.parseLong(trimmed.replaceAll("[a-z]+$", ""));
			delays.add(switch (trimmed.replaceAll("^\\d+", "")) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				default -> throw new IllegalArgumentException("unsupported duration " + trimmed);
			});
		}
		return delays;
	}

}
