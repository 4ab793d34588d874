package dev.sysdesign.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sysdesign.testing.PlatformInfrastructure;

/**
 * Another order-service instance in the test's JVM, for behaviour that spans instances:
 * same infrastructure, a free port, no cluster-wide scheduled jobs.
 */
public final class OtherInstance {

	private OtherInstance() {
	}

	/**
	 * Starts an instance.
	 * @param properties {@code name=value} settings, which win over
	 * {@code application.yml} as a real process's command-line arguments do
	 * @return its context; the caller closes it
	 */
	public static ConfigurableApplicationContext start(String... properties) {
		List<String> arguments = new ArrayList<>();
		PlatformInfrastructure.get()
			.springProperties("orders", Set.of())
			.forEach((key, value) -> arguments.add("--" + key + "=" + value));
		arguments.addAll(List.of("--server.port=0", "--platform.scheduler.enabled=false"));
		for (String property : properties) {
			arguments.add("--" + property);
		}
		return new SpringApplicationBuilder(OrderServiceApplication.class).run(arguments.toArray(String[]::new));
	}

	/**
	 * The port an instance serves on.
	 * @param instance the instance
	 * @return its port
	 */
	public static int port(ConfigurableApplicationContext instance) {
		return Integer.parseInt(instance.getEnvironment().getRequiredProperty("local.server.port"));
	}

}
