package dev.sysdesign.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sysdesign.testing.PlatformInfrastructure;

/**
 * Further order-service instances for tests of what happens between instances: started
 * like a real process (command-line arguments win over application.yml) on a random port
 * against the same infrastructure, without scheduled jobs.
 */
public final class OrderServiceInstances {

	private OrderServiceInstances() {
	}

	/**
	 * Starts an instance.
	 * @param settings further settings, as {@code name=value}
	 * @return the running instance; close it at the end of the test
	 */
	public static ConfigurableApplicationContext start(String... settings) {
		List<String> arguments = new ArrayList<>();
		PlatformInfrastructure.get()
			.springProperties("orders", Set.of())
			.forEach((key, value) -> arguments.add("--" + key + "=" + value));
		arguments.addAll(List.of("--server.port=0", "--management.server.port=0", "--platform.scheduler.enabled=false",
				"--spring.datasource.hikari.connection-init-sql=SET SESSION innodb_lock_wait_timeout = 2"));
		for (String setting : settings) {
			arguments.add("--" + setting);
		}
		return new SpringApplicationBuilder(OrderServiceApplication.class).run(arguments.toArray(String[]::new));
	}

	/**
	 * The port an instance listens on.
	 * @param instance the instance
	 * @return its HTTP port
	 */
	public static int port(ConfigurableApplicationContext instance) {
		return ((WebServerApplicationContext) instance).getWebServer().getPort();
	}

}
