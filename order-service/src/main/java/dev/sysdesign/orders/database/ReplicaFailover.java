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

	private ReplicaFailover() {
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
			if (!ReadRouting.startWatchingReplica()) {
				return invocation.proceed();
			}
			MethodInvocation retry = ((ProxyMethodInvocation) invocation).invocableClone();
			try {
				Object result = invocation.proceed();
				ReadRouting.stopWatchingReplica();
				return result;
			}
			catch (RuntimeException ex) {
				Replicas.Replica failed = ReadRouting.stopWatchingReplica();
				if (failed == null || !isConnectionFailure(ex)) {
					throw ex;
				}
				log.warn("Replica {} failed during a read, retrying on the primary: {}", failed.name(),
						ex.getMessage());
				failed.health().reportFailure(ex);
			}
			catch (Throwable ex) {
				ReadRouting.stopWatchingReplica();
				throw ex;
			}
			// on the primary whatever the next health check says: the retry must not meet
			// the connection that just broke again
			return retryOnThePrimary(retry);
		}

		private static @Nullable Object retryOnThePrimary(MethodInvocation retry) throws Throwable {
			try {
				return ReadRouting.onPrimary(() -> {
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
