package dev.sysdesign.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Points a Spring test context at the {@link PlatformInfrastructure}: Testcontainers
 * where Docker runs, the local services otherwise. Properties given with
 * {@code @SpringBootTest(properties = ...)} still win.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface UsePlatformInfrastructure {

	/**
	 * The service's database schema, which is also its user and password; empty for a
	 * service without a database.
	 * @return the schema
	 */
	String schema() default "";

	/**
	 * Components the context reaches through a {@link TcpProxy} whose connections the
	 * test cuts (see
	 * {@link PlatformInfrastructure#proxy(PlatformInfrastructure.Component)}).
	 * @return the proxied components
	 */
	PlatformInfrastructure.Component[] proxied() default {};

	/**
	 * Whether the context takes part in running the service's cluster-wide scheduled jobs
	 * ({@code platform.scheduler.enabled}). Off by default: contexts cached by other test
	 * classes would otherwise take a job's executions with their own settings.
	 * @return whether scheduled jobs run
	 */
	boolean scheduledJobs() default false;

}
