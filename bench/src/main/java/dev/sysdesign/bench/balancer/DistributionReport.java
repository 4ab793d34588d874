package dev.sysdesign.bench.balancer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.sysdesign.gateway.balancer.RendezvousHashing;

/**
 * How evenly consistent hashing spreads 1,000,000 keys over n = 2..100 instances
 * (max/mean load), and how many keys move when an instance is added or removed, beside
 * the ideal (1/(n+1) on an add, 1/n on a removal). Prints a table.
 * <p>
 * {@code java -cp bench/target/benchmarks.jar dev.sysdesign.bench.balancer.DistributionReport}
 */
public final class DistributionReport {

	private static final int KEYS = 1_000_000;

	private DistributionReport() {
	}

	public static void main(String[] args) {
		long[] hashes = new long[KEYS];
		for (int key = 0; key < KEYS; key++) {
			hashes[key] = RendezvousHashing.hash(Integer.toString(key + 1));
		}
		Random random = new Random(42);
		System.out
			.println("| n | keys/instance | max/mean | moved on add (ideal 1/(n+1)) | moved on remove (ideal 1/n) |");
		System.out.println("|---:|---:|---:|---|---|");
		for (int n : new int[] { 2, 3, 4, 5, 8, 10, 16, 20, 32, 50, 64, 100 }) {
			List<String> ids = ids(n);
			int[] owners = owners(ids, hashes);
			int[] load = new int[n];
			for (int owner : owners) {
				load[owner]++;
			}
			double maxOverMean = Arrays.stream(load).max().getAsInt() / (KEYS / (double) n);
			List<String> grown = new ArrayList<>(ids);
			grown.add("10.9.9.9:8081");
			int[] afterAdd = owners(grown, hashes);
			long movedOnAdd = 0;
			for (int key = 0; key < KEYS; key++) {
				if (!ids.get(owners[key]).equals(grown.get(afterAdd[key]))) {
					movedOnAdd++;
				}
			}
			List<String> shrunk = new ArrayList<>(ids);
			String removed = shrunk.remove(random.nextInt(n));
			int[] afterRemove = owners(shrunk, hashes);
			long movedOnRemove = 0;
			long movedNotOwned = 0;
			for (int key = 0; key < KEYS; key++) {
				if (!ids.get(owners[key]).equals(shrunk.get(afterRemove[key]))) {
					movedOnRemove++;
					if (!ids.get(owners[key]).equals(removed)) {
						movedNotOwned++;
					}
				}
			}
			System.out.printf("| %d | %d | %.4f | %.4f (%.4f, ×%.3f) | %.4f (%.4f, ×%.3f)%s |%n", n, KEYS / n,
					maxOverMean, movedOnAdd / (double) KEYS, 1.0 / (n + 1), movedOnAdd / (double) KEYS * (n + 1),
					movedOnRemove / (double) KEYS, 1.0 / n, movedOnRemove / (double) KEYS * n,
					(movedNotOwned == 0) ? "" : ", " + movedNotOwned + " keys of other instances moved");
		}
	}

	private static List<String> ids(int n) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			ids.add("10.0." + (i / 250) + "." + (i % 250 + 1) + ":8081");
		}
		return ids;
	}

	private static int[] owners(List<String> ids, long[] hashes) {
		double[] weights = new double[ids.size()];
		Arrays.fill(weights, 1);
		RendezvousHashing hashing = new RendezvousHashing(ids, weights);
		int[] owners = new int[hashes.length];
		for (int key = 0; key < hashes.length; key++) {
			owners[key] = hashing.choose(hashes[key]);
		}
		return owners;
	}

}
