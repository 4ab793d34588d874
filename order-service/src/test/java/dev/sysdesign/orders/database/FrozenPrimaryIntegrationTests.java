package dev.sysdesign.orders.database;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.orders.TestData;
import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A primary that hangs — its process frozen with {@code SIGSTOP}, connections open and
 * silent — costs a write the socket timeout and a 503 with {@code Retry-After}, never a
 * hung request thread; once it runs again the service recovers by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.hikari.data-source-properties.socketTimeout=3000")
@UsePlatformInfrastructure(schema = "orders")
class FrozenPrimaryIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void writesGet503WithinTheSocketTimeoutWhileThePrimaryHangsAndRecover() {
		RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		String sku = TestData.newProduct(this.jdbc, 100, 500);
		long user = TestData.newUser();
		TestData.placeOrder(client, user, sku, 1);

		PlatformInfrastructure.get().freezePrimary();
		try {
			long started = System.nanoTime();
			client.post()
				.uri("/api/orders")
				.header("X-User-Id", Long.toString(user))
				.contentType(MediaType.APPLICATION_JSON)
				.body(TestData.orderOf(sku, 1))
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.exists("Retry-After")
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(Duration.ofNanos(System.nanoTime() - started))
				.as("answered within the socket timeout (3 s) and the pool's connection timeout (3 s)")
				.isLessThan(Duration.ofSeconds(10));
		}
		finally {
			PlatformInfrastructure.get().thawPrimary();
		}
		await("the service takes orders again").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> TestData.placeOrder(client, user, sku, 1));
	}

}
