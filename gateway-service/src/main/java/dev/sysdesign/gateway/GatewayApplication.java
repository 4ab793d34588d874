package dev.sysdesign.gateway;

import java.security.Security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The platform's edge: load balancer (consistent hashing by user), web server and
 * CDN-style static delivery of the console, authentication on the shared sessions.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

	public static void main(String[] args) {
		// DNS discovery re-resolves service names every few seconds: keep the JVM's cache
		// short
		Security.setProperty("networkaddress.cache.ttl", "2");
		Security.setProperty("networkaddress.cache.negative.ttl", "1");
		SpringApplication.run(GatewayApplication.class, args);
	}

}
