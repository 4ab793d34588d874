package dev.sysdesign.session;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Accounts and login: sessions live in Redis, where every gateway instance reads them.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SessionServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(SessionServiceApplication.class, args);
	}

}
