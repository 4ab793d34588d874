package dev.sysdesign.worker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import dev.sysdesign.testing.UsePlatformInfrastructure;

/**
 * The worker-service on a random port against the real data services, with short retry
 * tiers, an instant payment simulator and a user whose payments are slow, plus
 * {@link WorkerMessages} to play the order-service: test classes with this annotation
 * share one context (so one set of consumers).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "platform.messaging.retry-delays=200ms,400ms", "worker.payment.latency=0ms",
				"worker.payment.slow-users=" + WorkerMessages.SLOW_USER, "worker.payment.slow-latency=1500ms",
				"worker.payment.decline-above-cents=1000000" })
@UsePlatformInfrastructure(schema = "worker")
@Import(WorkerMessages.class)
public @interface WorkerIntegrationTest {

}
