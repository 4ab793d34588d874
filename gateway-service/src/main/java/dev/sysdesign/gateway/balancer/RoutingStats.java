package dev.sysdesign.gateway.balancer;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

/**
 * What the balancer sent where: per instance, requests served, requests in flight (for
 * bounded load) and the distinct users (balancing keys) routed to it in a recent window.
 * Thread-safe.
 */
public class RoutingStats {

	private final Map<String, InstanceStats> instances = new ConcurrentHashMap<>();

	private final BalancerProperties properties;

	public RoutingStats(BalancerProperties properties) {
		this.properties = properties;
	}

	/**
	 * Records a request sent to an instance.
	 * @param instanceId the instance
	 * @param userId the user, or {@code null} when anonymous
	 */
	public void started(String instanceId, @Nullable String userId) {
		InstanceStats stats = stats(instanceId);
		stats.requests.increment();
		stats.inFlight.incrementAndGet();
		if (userId != null) {
			stats.users.put(userId, Boolean.TRUE);
		}
	}

	/**
	 * Records that a request to an instance ended.
	 * @param instanceId the instance
	 */
	public void finished(String instanceId) {
		stats(instanceId).inFlight.decrementAndGet();
	}

	/**
	 * Requests in flight to an instance.
	 * @param instanceId the instance
	 * @return the count
	 */
	public int inFlight(String instanceId) {
		InstanceStats stats = this.instances.get(instanceId);
		return (stats != null) ? Math.max(0, stats.inFlight.get()) : 0;
	}

	/**
	 * The figures of an instance.
	 * @param instanceId the instance
	 * @return requests served, in flight, and distinct recent users
	 */
	public Snapshot snapshot(String instanceId) {
		InstanceStats stats = this.instances.get(instanceId);
		if (stats == null) {
			return new Snapshot(0, 0, 0);
		}
		stats.users.cleanUp();
		return new Snapshot(stats.requests.sum(), Math.max(0, stats.inFlight.get()), stats.users.estimatedSize());
	}

	/**
	 * The distinct users routed to any of some instances within the window.
	 * @param instanceIds the instances (those of one service)
	 * @param limit the most users to return
	 * @return up to {@code limit} users, in no particular order
	 */
	public Set<String> recentUsers(Collection<String> instanceIds, int limit) {
		Set<String> users = new HashSet<>();
		for (String instanceId : instanceIds) {
			InstanceStats stats = this.instances.get(instanceId);
			if (stats == null) {
				continue;
			}
			for (String user : stats.users.asMap().keySet()) {
				if (users.size() >= limit) {
					return users;
				}
				users.add(user);
			}
		}
		return users;
	}

	private InstanceStats stats(String instanceId) {
		return this.instances.computeIfAbsent(instanceId, (id) -> new InstanceStats(this.properties));
	}

	/**
	 * An instance's figures.
	 *
	 * @param requestsServed requests sent to it since the gateway started
	 * @param inFlight requests being served now
	 * @param distinctUsers distinct users routed to it within the window
	 */
	public record Snapshot(long requestsServed, int inFlight, long distinctUsers) {
	}

	private static final class InstanceStats {

		final LongAdder requests = new LongAdder();

		final AtomicInteger inFlight = new AtomicInteger();

		final Cache<String, Boolean> users;

		InstanceStats(BalancerProperties properties) {
			this.users = Caffeine.newBuilder()
				.expireAfterWrite(properties.usersWindow())
				.maximumSize(1_000_000)
				.build();
		}

	}

}
