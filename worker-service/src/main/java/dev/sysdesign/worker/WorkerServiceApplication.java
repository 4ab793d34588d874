package dev.sysdesign.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The platform's batch server: processes order jobs from RabbitMQ and runs scheduled
 * jobs, one run per slot across replicas.
 */
@SpringBootApplication
public class WorkerServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(WorkerServiceApplication.class, args);
	}

}
