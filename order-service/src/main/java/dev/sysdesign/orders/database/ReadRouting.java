package dev.sysdesign.orders.database;

import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

/**
 * What the read router ({@link ReplicaRoutingDataSource}) decides a read-only transaction
 * by, held per thread in one place:
 * <ul>
 * <li><b>the user</b> whose reads these are: a user's reads wait for the replica to have
 * applied that user's last write (read-your-writes) or go to the primary. Set for every
 * HTTP request from its caller ({@link ReadRoutingFilter}); absent for anonymous work and
 * for message consumers (which read on the primary inside their write transactions).</li>
 * <li><b>whether every commit must be visible</b> ({@link #onPrimary}): the caches fill
 * an entry invalidated moments ago from the primary, and a read retried after its replica
 * failed runs there too.</li>
 * <li><b>the replica that served the current read-only transaction</b>, so that a read
 * whose replica connection broke is marked down and retried on the primary
 * ({@link ReplicaFailover}).</li>
 * </ul>
 * Everything else reaches the routing only through this class: no other thread-local
 * state decides where a read goes.
 */
public final class ReadRouting {

	private static final ThreadLocal<Context> current = new ThreadLocal<>();

	/** The marker of a read-only transaction that no replica served (yet). */
	private static final Object NO_REPLICA = new Object();

	private ReadRouting() {
	}

	/**
	 * The user whose reads these are.
	 * @return the user id, or {@code null} for anonymous work
	 */
	public static @Nullable Long user() {
		Context context = current.get();
		return (context != null) ? context.user : null;
	}

	/**
	 * Whether the current thread's reads must go to the primary.
	 * @return whether they must
	 */
	public static boolean primaryRequired() {
		Context context = current.get();
		return context != null && context.primaryDepth > 0;
	}

	/**
	 * Runs work whose reads go to the primary (they see every committed write).
	 * @param <T> the result type
	 * @param work the work
	 * @return its result
	 * @throws Exception what the work throws
	 */
	public static <T> T onPrimary(Callable<T> work) throws Exception {
		Context context = enter();
		context.primaryDepth++;
		try {
			return work.call();
		}
		finally {
			context.primaryDepth--;
			leave(context);
		}
	}

	/** Sets the user of the current request (the servlet filter's job). */
	static void startRequest(@Nullable Long user) {
		enter().user = user;
	}

	/** Forgets the current request's user. */
	static void endRequest() {
		Context context = current.get();
		if (context != null) {
			context.user = null;
			leave(context);
		}
	}

	/**
	 * Starts watching which replica serves the read-only transaction about to run.
	 * @return {@code false} when an enclosing transaction already watches (the outermost
	 * one retries)
	 */
	static boolean startWatchingReplica() {
		Context context = enter();
		if (context.served != null) {
			return false;
		}
		context.served = NO_REPLICA;
		return true;
	}

	/** Records the replica the router handed a connection of. */
	static void servedBy(Replicas.Replica replica) {
		Context context = current.get();
		if (context != null && context.served != null) {
			context.served = replica;
		}
	}

	/**
	 * Stops watching.
	 * @return the replica that served the transaction, or {@code null}
	 */
	static Replicas.@Nullable Replica stopWatchingReplica() {
		Context context = current.get();
		if (context == null) {
			return null;
		}
		Object served = context.served;
		context.served = null;
		leave(context);
		return (served instanceof Replicas.Replica replica) ? replica : null;
	}

	private static Context enter() {
		Context context = current.get();
		if (context == null) {
			context = new Context();
			current.set(context);
		}
		return context;
	}

	/**
	 * Drops the thread's context once nothing is left in it (pooled threads keep none).
	 */
	private static void leave(Context context) {
		if (context.user == null && context.primaryDepth == 0 && context.served == null) {
			current.remove();
		}
	}

	private static final class Context {

		@Nullable Long user;

		int primaryDepth;

		@Nullable Object served;

	}

}
