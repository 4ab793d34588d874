package dev.sysdesign.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a JDBC loop on several threads for a while and reports throughput and latency
 * percentiles, for the benchmarks' baselines and ceilings.
 */
public final class Measurement {

	private long[] all = new long[0];

	private long count;

	private Measurement() {
	}

	/**
	 * Runs an operation in a loop on each thread.
	 * @param threads the threads, each with its own state
	 * @param seconds how long
	 * @param operation creates the loop body of each thread
	 * @return what was measured
	 * @throws Exception when a thread fails
	 */
	static Measurement run(int threads, int seconds, ThreadBody operation) throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> workers = new ArrayList<>();
		List<long[]> latencies = new ArrayList<>();
		int[] counts = new int[threads];
		Throwable[] failure = new Throwable[1];
		for (int t = 0; t < threads; t++) {
			long[] samples = new long[500_000];
			latencies.add(samples);
			int index = t;
			workers.add(Thread.ofPlatform().start(() -> {
				try {
					operation.run(() -> running.get(), () -> {
						if (counts[index] < samples.length) {
							return samples;
						}
						return null;
					}, counts, index);
				}
				catch (Exception ex) {
					failure[0] = ex;
				}
			}));
		}
		Thread.sleep(seconds * 1000L);
		running.set(false);
		for (Thread worker : workers) {
			worker.join();
		}
		if (failure[0] != null) {
			throw new IllegalStateException(failure[0]);
		}
		Measurement measurement = new Measurement();
		for (int t = 0; t < threads; t++) {
			measurement.add(latencies.get(t), Math.min(counts[t], latencies.get(t).length));
		}
		return measurement;
	}

	/**
	 * Runs a timed operation in a loop on each thread, one connection-like state per
	 * thread.
	 * @param <S> the state of a thread (its connection)
	 * @param threads the threads
	 * @param seconds how long
	 * @param open opens a thread's state
	 * @param operation one timed operation
	 * @return what was measured
	 * @throws Exception when a thread fails
	 */
	static <S extends AutoCloseable> Measurement loop(int threads, int seconds, Opener<S> open, Operation<S> operation)
			throws Exception {
		return run(threads, seconds, (running, samples, counts, index) -> {
			try (S state = open.open()) {
				while (running.getAsBoolean()) {
					long started = System.nanoTime();
					operation.run(state);
					long[] buffer = samples.get();
					if (buffer != null) {
						buffer[counts[index]] = System.nanoTime() - started;
					}
					counts[index]++;
				}
			}
		});
	}

	long count() {
		return this.count;
	}

	private void add(long[] samples, int n) {
		long[] merged = Arrays.copyOf(this.all, this.all.length + n);
		System.arraycopy(samples, 0, merged, this.all.length, n);
		this.all = merged;
		this.count += n;
	}

	/**
	 * A latency percentile.
	 * @param p the percentile, 0 to 100
	 * @return milliseconds
	 */
	double percentile(int p) {
		long[] sorted = this.all.clone();
		Arrays.sort(sorted);
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1_000_000.0;
	}

	/**
	 * Reads a {@code --name value} option.
	 * @param args the command line
	 * @param name the option
	 * @param defaultValue its default
	 * @return its value
	 */
	public static String option(String[] args, String name, String defaultValue) {
		for (int i = 0; i + 1 < args.length; i++) {
			if (args[i].equals(name)) {
				return args[i + 1];
			}
		}
		return defaultValue;
	}

	interface ThreadBody {

		void run(java.util.function.BooleanSupplier running, java.util.function.Supplier<long[]> samples, int[] counts,
				int index) throws Exception;

	}

	interface Opener<S> {

		S open() throws Exception;

	}

	interface Operation<S> {

		void run(S state) throws Exception;

	}

}
