package dev.sysdesign.bench.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.sysdesign.bench.Measurement;
import dev.sysdesign.gateway.balancer.RendezvousHashing;

/**
 * The local (L1) cache hit rate of order reads when the gateway routes by user with
 * consistent hashing, against round-robin, for 1, 2 and 3 order-service instances.
 * <p>
 * A trace-driven simulation with the production parts: the gateway's
 * {@link RendezvousHashing} and, per instance, a Caffeine cache with the order-service's
 * L1 settings (10,000 entries, 30 s after write), on a simulated clock. The trace: users
 * whose activity follows a Zipf law (a few very active users, a long tail), each reading
 * one of their own recent orders; requests arrive at a steady rate.
 * <p>
 * {@code java -cp bench/target/benchmarks.jar dev.sysdesign.bench.cache.L1HitRateReport
 * --users 50000 --rate 500 --seconds 600 --zipf 1.0}
 */
public final class L1HitRateReport {

	private L1HitRateReport() {
	}

	public static void main(String[] args) {
		int users = Integer.parseInt(Measurement.option(args, "--users", "50000"));
		int rate = Integer.parseInt(Measurement.option(args, "--rate", "500"));
		int seconds = Integer.parseInt(Measurement.option(args, "--seconds", "600"));
		double zipf = Double.parseDouble(Measurement.option(args, "--zipf", "1.0"));
		int size = Integer.parseInt(Measurement.option(args, "--l1-size", "10000"));
		int ttl = Integer.parseInt(Measurement.option(args, "--l1-ttl-seconds", "30"));
		long[] trace = trace(users, rate * seconds, zipf);
		System.out.printf("# %d users (Zipf s=%.2f), %d requests at %d/s, L1 %d entries, %d s TTL%n", users, zipf,
				trace.length, rate, size, ttl);
		System.out.println("| instances | consistent hashing | round-robin | ratio |");
		System.out.println("|---:|---:|---:|---:|");
		for (int instances = 1; instances <= 3; instances++) {
			double hashed = hitRate(trace, instances, true, rate, size, ttl);
			double roundRobin = hitRate(trace, instances, false, rate, size, ttl);
			System.out.printf("| %d | %.1f %% | %.1f %% | %.2f |%n", instances, 100 * hashed, 100 * roundRobin,
					hashed / roundRobin);
		}
	}

	/** Requests as (user << 8 | order of the user). */
	private static long[] trace(int users, int requests, double s) {
		double[] cumulative = new double[users];
		double total = 0;
		for (int rank = 0; rank < users; rank++) {
			total += 1 / Math.pow(rank + 1, s);
			cumulative[rank] = total;
		}
		Random random = new Random(42);
		long[] trace = new long[requests];
		for (int i = 0; i < requests; i++) {
			int index = java.util.Arrays.binarySearch(cumulative, random.nextDouble() * total);
			int user = (index >= 0) ? index : -index - 1;
			int orders = 1 + (user % 5);
			trace[i] = ((long) (user + 1) << 8) | random.nextInt(orders);
		}
		return trace;
	}

	private static double hitRate(long[] trace, int instances, boolean hashed, int rate, int size, int ttl) {
		AtomicLong now = new AtomicLong();
		List<String> ids = new ArrayList<>();
		List<Cache<Long, Boolean>> caches = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			ids.add("10.0.0." + (i + 1) + ":8081");
			caches.add(Caffeine.newBuilder()
				.maximumSize(size)
				.expireAfterWrite(java.time.Duration.ofSeconds(ttl))
				.ticker(now::get)
				.executor(Runnable::run)
				.build());
		}
		double[] weights = new double[instances];
		java.util.Arrays.fill(weights, 1);
		RendezvousHashing ring = new RendezvousHashing(ids, weights);
		long hits = 0;
		long step = 1_000_000_000L / rate;
		for (int i = 0; i < trace.length; i++) {
			now.addAndGet(step);
			long request = trace[i];
			int instance = hashed ? ring.choose(RendezvousHashing.hash(Long.toString(request >>> 8))) : i % instances;
			Cache<Long, Boolean> cache = caches.get(instance);
			if (cache.getIfPresent(request) != null) {
				hits++;
			}
			else {
				cache.put(request, Boolean.TRUE);
			}
		}
		return hits / (double) trace.length;
	}

}
