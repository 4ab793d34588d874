package dev.sysdesign.orders.database;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The user on whose behalf the current thread reads and writes, for read-your-writes: set
 * for each HTTP request from the gateway's {@code X-User-Id}, and by message consumers
 * for the owner of the order they change.
 */
public final class CurrentUser {

	private static final ThreadLocal<Long> user = new ThreadLocal<>();

	private CurrentUser() {
	}

	/**
	 * The current user.
	 * @return the user id, or {@code null} for anonymous work
	 */
	public static @Nullable Long id() {
		return user.get();
	}

	/**
	 * Runs work on behalf of a user.
	 * @param <T> the result type
	 * @param userId the user
	 * @param work the work
	 * @return its result
	 */
	public static <T> T callAs(long userId, Supplier<T> work) {
		Long previous = user.get();
		user.set(userId);
		try {
			return work.get();
		}
		finally {
			if (previous == null) {
				user.remove();
			}
			else {
				user.set(previous);
			}
		}
	}

	static void set(@Nullable Long userId) {
		if (userId == null) {
			user.remove();
		}
		else {
			user.set(userId);
		}
	}

}
