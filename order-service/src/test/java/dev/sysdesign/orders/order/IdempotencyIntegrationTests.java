package dev.sysdesign.orders.order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.sysdesign.orders.OrderServiceInstances;
import dev.sysdesign.orders.OrderServiceIntegrationTest;
import dev.sysdesign.orders.TestData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code Idempotency-Key} contract, including two simultaneous requests with the same
 * key on two different instances of the service.
 */
@OrderServiceIntegrationTest
class IdempotencyIntegrationTests {

	static ConfigurableApplicationContext secondInstance;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void startSecondInstance() {
		secondInstance = OrderServiceInstances.start();
	}

	@AfterAll
	static void stopSecondInstance() {
		secondInstance.close();
	}

	@Test
	void repeatWithSameBodyReturnsSameOrderAndLocation() throws Exception {
		long user = TestData.newUser();
		String sku = TestData.newProduct(this.jdbc, 50, 700);
		String key = UUID.randomUUID().toString();
		HttpResponse<String> first = post(this.port, user, key, TestData.orderOf(sku, 2));
		HttpResponse<String> second = post(this.port, user, key, TestData.orderOf(sku, 2));
		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(second.statusCode()).isEqualTo(202);
		assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
		assertThat(second.body()).contains("\"status\":\"PENDING\"");
		assertThat(TestData.stock(this.jdbc, sku)).isEqualTo(48);
	}

	@Test
	void sameKeyWithOtherBodyIs422() throws Exception {
		long user = TestData.newUser();
		String sku = TestData.newProduct(this.jdbc, 50, 700);
		String key = UUID.randomUUID().toString();
		assertThat(post(this.port, user, key, TestData.orderOf(sku, 2)).statusCode()).isEqualTo(202);
		HttpResponse<String> other = post(this.port, user, key, TestData.orderOf(sku, 3));
		assertThat(other.statusCode()).isEqualTo(422);
		assertThat(other.body()).contains("/problems/idempotency-key-reused");
		assertThat(TestData.stock(this.jdbc, sku)).isEqualTo(48);
	}

	/**
	 * Keys are compared byte for byte: under a case-insensitive collation the second
	 * order was answered with the first.
	 */
	@Test
	void keysDifferingOnlyInCaseAreDifferentKeys() throws Exception {
		long user = TestData.newUser();
		String sku = TestData.newProduct(this.jdbc, 50, 700);
		String key = "Order-" + UUID.randomUUID();
		HttpResponse<String> upper = post(this.port, user, key, TestData.orderOf(sku, 1));
		HttpResponse<String> lower = post(this.port, user, key.toLowerCase(java.util.Locale.ROOT),
				TestData.orderOf(sku, 1));
		assertThat(upper.statusCode()).isEqualTo(202);
		assertThat(lower.statusCode()).isEqualTo(202);
		assertThat(lower.headers().firstValue("Location")).isNotEqualTo(upper.headers().firstValue("Location"));
		assertThat(TestData.stock(this.jdbc, sku)).isEqualTo(48);
	}

	@Test
	void keysAreScopedPerUser() throws Exception {
		String sku = TestData.newProduct(this.jdbc, 50, 700);
		String key = UUID.randomUUID().toString();
		HttpResponse<String> a = post(this.port, TestData.newUser(), key, TestData.orderOf(sku, 1));
		HttpResponse<String> b = post(this.port, TestData.newUser(), key, TestData.orderOf(sku, 1));
		assertThat(a.headers().firstValue("Location")).isNotEqualTo(b.headers().firstValue("Location"));
		assertThat(TestData.stock(this.jdbc, sku)).isEqualTo(48);
	}

	@Test
	void simultaneousDuplicatesOnTwoInstancesMakeOneOrderAndOneReservation() throws Exception {
		int secondPort = ((WebServerApplicationContext) secondInstance).getWebServer().getPort();
		int pairs = 20;
		List<Future<HttpResponse<String>>> responses = new ArrayList<>();
		List<String> skus = new ArrayList<>();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < pairs; i++) {
				long user = TestData.newUser();
				// a product per pair: the pairs do not queue on one product's row (this
				// is about
				// keys, and the lock wait here is 2 s)
				String sku = TestData.newProduct(this.jdbc, 10, 700);
				skus.add(sku);
				String key = "pair-" + i + "-" + UUID.randomUUID();
				CountDownLatch start = new CountDownLatch(1);
				responses.add(clients.submit(() -> {
					start.await();
					return post(this.port, user, key, TestData.orderOf(sku, 3));
				}));
				responses.add(clients.submit(() -> {
					start.await();
					return post(secondPort, user, key, TestData.orderOf(sku, 3));
				}));
				start.countDown();
			}
		}
		for (int i = 0; i < pairs; i++) {
			HttpResponse<String> a = responses.get(2 * i).get();
			HttpResponse<String> b = responses.get(2 * i + 1).get();
			assertThat(a.statusCode()).as(a.body()).isEqualTo(202);
			assertThat(b.statusCode()).as(b.body()).isEqualTo(202);
			assertThat(a.headers().firstValue("Location")).isEqualTo(b.headers().firstValue("Location"));
		}
		for (String sku : skus) {
			assertThat(TestData.stock(this.jdbc, sku)).isEqualTo(10 - 3);
			assertThat(this.jdbc.sql("SELECT COUNT(*) FROM order_item WHERE sku = ?")
				.param(sku)
				.query(Integer.class)
				.single()).isEqualTo(1);
		}
	}

	@Test
	void duplicateWaitsForTheFirstThenGets409WhileItIsStillRunning() throws Exception {
		long user = TestData.newUser();
		String sku = TestData.newProduct(this.jdbc, 50, 700);
		String key = UUID.randomUUID().toString();
		try (Connection inFlight = this.dataSource.getConnection()) {
			inFlight.setAutoCommit(false);
			try (PreparedStatement claim = inFlight.prepareStatement(
					"INSERT INTO idempotency_key (user_id, idempotency_key, request_hash, order_id, created_at, expires_at) "
							+ "VALUES (?, ?, 'x', ?, ?, ?)")) {
				LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
				claim.setLong(1, user);
				claim.setString(2, key);
				claim.setString(3, UUID.randomUUID().toString());
				claim.setObject(4, now);
				claim.setObject(5, now.plusDays(1));
				claim.executeUpdate();
			}
			long started = System.nanoTime();
			HttpResponse<String> duplicate = post(this.port, user, key, TestData.orderOf(sku, 1));
			long waitedMillis = (System.nanoTime() - started) / 1_000_000;
			assertThat(duplicate.statusCode()).isEqualTo(409);
			assertThat(duplicate.body()).contains("/problems/idempotency-key-in-flight");
			assertThat(duplicate.headers().firstValue("Retry-After")).isPresent();
			assertThat(waitedMillis).as("waited on the first request's lock").isGreaterThanOrEqualTo(1500);
			inFlight.rollback();
		}
		HttpResponse<String> afterRollback = post(this.port, user, key, TestData.orderOf(sku, 1));
		assertThat(afterRollback.statusCode()).isEqualTo(202);
		assertThat(TestData.stock(this.jdbc, sku)).isEqualTo(49);
	}

	@Test
	void expiredKeyStartsAFreshOrder() throws Exception {
		long user = TestData.newUser();
		String sku = TestData.newProduct(this.jdbc, 50, 700);
		String key = UUID.randomUUID().toString();
		HttpResponse<String> first = post(this.port, user, key, TestData.orderOf(sku, 1));
		this.jdbc.sql("UPDATE idempotency_key SET expires_at = ? WHERE user_id = ? AND idempotency_key = ?")
			.params(LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1), user, key)
			.update();
		HttpResponse<String> afterExpiry = post(this.port, user, key, TestData.orderOf(sku, 4));
		assertThat(afterExpiry.statusCode()).isEqualTo(202);
		assertThat(afterExpiry.headers().firstValue("Location")).isNotEqualTo(first.headers().firstValue("Location"));
		assertThat(TestData.stock(this.jdbc, sku)).isEqualTo(45);
	}

	private HttpResponse<String> post(int port, long user, String key, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"))
			.header("X-User-Id", Long.toString(user))
			.header("Idempotency-Key", key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
