package dev.sysdesign.orders.database;

import java.util.concurrent.Callable;

/**
 * Reads that must see every committed write, whatever the replica has applied: the caches
 * fill an entry from the primary when it was invalidated moments ago, because the replica
 * may still hold the value the invalidation removed.
 */
public final class FreshReads {

	private static final ThreadLocal<Boolean> required = new ThreadLocal<>();

	private FreshReads() {
	}

	/**
	 * Runs work whose reads go to the primary.
	 * @param <T> the result type
	 * @param work the work
	 * @return its result
	 * @throws Exception what the work throws
	 */
	public static <T> T call(Callable<T> work) throws Exception {
		Boolean previous = required.get();
		required.set(Boolean.TRUE);
		try {
			return work.call();
		}
		finally {
			if (previous == null) {
				required.remove();
			}
			else {
				required.set(previous);
			}
		}
	}

	/**
	 * Whether the current thread's reads must go to the primary.
	 * @return whether they must
	 */
	public static boolean required() {
		return required.get() != null;
	}

}
