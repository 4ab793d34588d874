package dev.sysdesign.gateway.balancer;

import java.util.List;

/**
 * Weighted rendezvous hashing (highest random weight, HRW) over a fixed list of
 * instances.
 * <p>
 * For a key, every instance gets a pseudo-random score from the pair (key, instance); the
 * key belongs to the instance with the highest score. Adding an instance moves exactly
 * the keys for which the new instance scores highest — taken evenly from every other
 * instance — and removing one moves only its own keys: minimal disruption without a ring
 * or virtual nodes to tune. With weights, the score is {@code -weight / ln(u)} for the
 * uniform {@code u} derived from the pair, which gives each instance a share proportional
 * to its weight.
 * <p>
 * Immutable and thread-safe. Choosing allocates nothing: the instances' seeds and weights
 * are prepared once per instance list.
 */
public final class RendezvousHashing {

	private static final double TWO_TO_MINUS_53 = 0x1.0p-53;

	private final long[] seeds;

	private final double[] weights;

	private final boolean weighted;

	/**
	 * Prepares an instance list.
	 * @param instanceIds the instances' stable ids (for example {@code host:port})
	 * @param weights their weights, positive
	 */
	public RendezvousHashing(List<String> instanceIds, double[] weights) {
		if (instanceIds.size() != weights.length) {
			throw new IllegalArgumentException("one weight per instance");
		}
		this.seeds = new long[instanceIds.size()];
		this.weights = weights.clone();
		boolean anyWeighted = false;
		for (int i = 0; i < this.seeds.length; i++) {
			this.seeds[i] = mix(hash(instanceIds.get(i)));
			if (weights[i] <= 0) {
				throw new IllegalArgumentException("weights must be positive");
			}
			anyWeighted |= weights[i] != 1.0;
		}
		this.weighted = anyWeighted;
	}

	/**
	 * The number of instances.
	 * @return the size of the list
	 */
	public int size() {
		return this.seeds.length;
	}

	/**
	 * The instance a key belongs to.
	 * @param keyHash the key's hash, see {@link #hash(String)}
	 * @return the instance's index, or -1 when there is none
	 */
	public int choose(long keyHash) {
		return choose(keyHash, 0L);
	}

	/**
	 * The highest-ranked instance for a key that is not excluded.
	 * @param keyHash the key's hash
	 * @param excluded a bit set of excluded indexes (bit {@code i} excludes instance
	 * {@code i}; instances from index 64 on cannot be excluded)
	 * @return the instance's index, or -1 when every instance is excluded
	 */
	public int choose(long keyHash, long excluded) {
		int best = -1;
		if (this.weighted) {
			double bestScore = Double.NEGATIVE_INFINITY;
			for (int i = 0; i < this.seeds.length; i++) {
				if (i < 64 && (excluded & (1L << i)) != 0) {
					continue;
				}
				double score = weightedScore(keyHash, i);
				if (score > bestScore) {
					bestScore = score;
					best = i;
				}
			}
			return best;
		}
		long bestScore = 0;
		for (int i = 0; i < this.seeds.length; i++) {
			if (i < 64 && (excluded & (1L << i)) != 0) {
				continue;
			}
			long score = mix(keyHash ^ this.seeds[i]);
			if (best < 0 || Long.compareUnsigned(score, bestScore) > 0) {
				bestScore = score;
				best = i;
			}
		}
		return best;
	}

	private double weightedScore(long keyHash, int instance) {
		long bits = mix(keyHash ^ this.seeds[instance]);
		double uniform = ((bits >>> 11) + 1) * TWO_TO_MINUS_53;
		return -this.weights[instance] / Math.log(uniform);
	}

	/**
	 * Hashes a key to 64 bits: a decimal number (a user id) is mixed as a number,
	 * anything else with FNV-1a over its characters, then mixed. Allocates nothing.
	 * @param key the key
	 * @return its hash
	 */
	public static long hash(String key) {
		int length = key.length();
		if (length > 0 && length <= 18) {
			long value = 0;
			boolean digits = true;
			for (int i = 0; i < length && digits; i++) {
				char c = key.charAt(i);
				digits = c >= '0' && c <= '9';
				value = value * 10 + (c - '0');
			}
			if (digits) {
				return mix(value);
			}
		}
		long hash = 0xcbf29ce484222325L;
		for (int i = 0; i < length; i++) {
			hash ^= key.charAt(i);
			hash *= 0x100000001b3L;
		}
		return mix(hash);
	}

	/**
	 * The 64-bit finalizer of MurmurHash3 (fmix64): every input bit affects every output
	 * bit.
	 * @param value a value
	 * @return its mix
	 */
	static long mix(long value) {
		long z = value;
		z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
		z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
		return z ^ (z >>> 33);
	}

}
