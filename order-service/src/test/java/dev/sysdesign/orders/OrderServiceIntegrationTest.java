package dev.sysdesign.orders;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

import dev.sysdesign.testing.UsePlatformInfrastructure;

/**
 * The order-service on a random port against the real data services, with quick replica
 * checks and short lock waits. Test classes with this annotation share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "platform.datasource.replica.check-interval=200ms",
				"spring.datasource.hikari.connection-init-sql=SET SESSION innodb_lock_wait_timeout = 2" })
@UsePlatformInfrastructure(schema = "orders")
public @interface OrderServiceIntegrationTest {

}
