package dev.sysdesign.orders.database;

import java.lang.reflect.Method;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes "a read never fails because of the replica" hold even when the replica dies in
 * the middle of a read: a {@code @Transactional(readOnly = true)} method whose replica
 * connection broke is marked down and run once more, in a new transaction, which the
 * router then serves from the primary. Wraps the transaction interceptor (it must start a
 * new transaction), and retries only failures of a connection the replica handed out.
 */
final class ReplicaFailover {

	private static final Logger log = LoggerFactory.getLogger(ReplicaFailover.class);

	/**
	 * The replica that served the current read-only transaction; a marker when none did.
	 */
	private static final ThreadLocal<Object> servedByReplica = new ThreadLocal<>();

	private static final Object NONE = new Object();

	private ReplicaFailover() {
	}

	/** Called by the router when it hands out a replica connection. */
	static void markServedBy(Replicas.Replica replica) {
		if (servedByReplica.get() != null) {
			servedByReplica.set(replica);
		}
	}

	/**
	 * Methods annotated (or in a class annotated) with a read-only
	 * {@code @Transactional}.
	 */
	static final class ReadOnlyTransactionPointcut extends StaticMethodMatcherPointcut {

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
			Transactional transactional = AnnotatedElementUtils.findMergedAnnotation(specific, Transactional.class);
			if (transactional == null) {
				transactional = AnnotatedElementUtils.findMergedAnnotation(targetClass, Transactional.class);
			}
			return transactional != null && transactional.readOnly();
		}

	}

	static final class Interceptor implements MethodInterceptor {

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Object outer = servedByReplica.get();
			if (outer != null) {
				return invocation.proceed();
			}
			MethodInvocation retry = ((ProxyMethodInvocation) invocation).invocableClone();
			servedByReplica.set(NONE);
			try {
				return invocation.proceed();
			}
			catch (RuntimeException ex) {
				if (!(servedByReplica.get() instanceof Replicas.Replica replica) || !isConnectionFailure(ex)) {
					throw ex;
				}
				log.warn("Replica {} failed during a read, retrying on the primary: {}", replica.name(),
						ex.getMessage());
				replica.health().reportFailure(ex);
			}
			finally {
				servedByReplica.remove();
			}
			// on the primary whatever the next health check says: the retry must not meet
			// the connection that just broke again
			return retryOnThePrimary(retry);
		}

		private static @Nullable Object retryOnThePrimary(MethodInvocation retry) throws Throwable {
			try {
				return FreshReads.call(() -> {
					try {
						return retry.proceed();
					}
					catch (Exception | Error ex) {
						throw ex;
					}
					catch (Throwable ex) {
						throw new java.lang.reflect.UndeclaredThrowableException(ex);
					}
				});
			}
			catch (java.lang.reflect.UndeclaredThrowableException ex) {
				throw ex.getCause();
			}
		}

		private static boolean isConnectionFailure(Throwable ex) {
			for (Throwable current = ex; current != null; current = current.getCause()) {
				if (current instanceof DataAccessResourceFailureException
						|| current instanceof SQLNonTransientConnectionException
						|| current instanceof SQLTransientConnectionException
						|| current instanceof SQLRecoverableException
						|| current.getClass().getSimpleName().equals("CommunicationsException")) {
					return true;
				}
				if (current.getCause() == current) {
					break;
				}
			}
			return false;
		}

	}

}
