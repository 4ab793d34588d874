package dev.sysdesign.orders.order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.sysdesign.orders.TestData;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stock never oversells: concurrent orders for the last units get exactly as many
 * acceptances as there are units. The 50 transactions queue on one product row: the lock
 * wait and the pool's connection timeout are long enough here for the last of them on a
 * loaded machine (a lock-wait timeout would answer 409 busy, which is not what this test
 * is about).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.hikari.connection-init-sql=SET SESSION innodb_lock_wait_timeout = 30",
				"spring.datasource.hikari.connection-timeout=60000", "spring.transaction.default-timeout=60s" })
@UsePlatformInfrastructure(schema = "orders")
class StockConcurrencyIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void fiftyConcurrentOrdersForTenUnitsAcceptExactlyTen() throws Exception {
		String sku = TestData.newProduct(this.jdbc, 10, 500);
		HttpClient http = HttpClient.newHttpClient();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> statuses = new ArrayList<>();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 50; i++) {
				long user = TestData.newUser();
				statuses.add(clients.submit(() -> {
					HttpRequest request = HttpRequest
						.newBuilder(URI.create("http://localhost:" + this.port + "/api/orders"))
						.header("X-User-Id", Long.toString(user))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(TestData.orderOf(sku, 1)))
						.build();
					start.await();
					return http.send(request, HttpResponse.BodyHandlers.ofString());
				}));
			}
			start.countDown();
		}
		List<HttpResponse<String>> results = new ArrayList<>();
		for (Future<HttpResponse<String>> status : statuses) {
			results.add(status.get());
		}
		assertThat(results).filteredOn((response) -> response.statusCode() == 202).hasSize(10);
		assertThat(results).filteredOn((response) -> response.statusCode() != 202)
			.hasSize(40)
			.allSatisfy((refused) -> assertThat(refused.body()).as("status %d", refused.statusCode())
				.contains("/problems/insufficient-stock"));
		assertThat(TestData.stock(this.jdbc, sku)).isZero();
		assertThat(
				this.jdbc.sql("SELECT COUNT(*) FROM order_item WHERE sku = ?").param(sku).query(Integer.class).single())
			.isEqualTo(10);
	}

}
