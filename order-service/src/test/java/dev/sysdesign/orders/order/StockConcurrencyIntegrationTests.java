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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.sysdesign.orders.OrderServiceIntegrationTest;
import dev.sysdesign.orders.TestData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stock never oversells: concurrent orders for the last units get exactly as many
 * acceptances as there are units.
 */
@OrderServiceIntegrationTest
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
		List<Future<Integer>> statuses = new ArrayList<>();
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
					return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				}));
			}
			start.countDown();
		}
		List<Integer> results = new ArrayList<>();
		for (Future<Integer> status : statuses) {
			results.add(status.get());
		}
		assertThat(results).filteredOn((status) -> status == 202).hasSize(10);
		assertThat(results).filteredOn((status) -> status == 409).hasSize(40);
		assertThat(TestData.stock(this.jdbc, sku)).isZero();
		assertThat(
				this.jdbc.sql("SELECT COUNT(*) FROM order_item WHERE sku = ?").param(sku).query(Integer.class).single())
			.isEqualTo(10);
	}

}
