package dev.sysdesign.orders.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.messaging.ConfirmedPublisher;
import dev.sysdesign.orders.order.OrderCaches;
import dev.sysdesign.orders.OrderServiceInstances;
import dev.sysdesign.orders.OrderServiceIntegrationTest;
import dev.sysdesign.orders.TestData;
import dev.sysdesign.orders.messaging.WorkerResults;
import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The caches in the running service: repeated reads are served by the local level, a
 * burst of reads of a new order loads it once, and a change handled by one instance
 * reaches the local level of another (instance A below, whose own consumer of payment
 * results is stopped, so that only another instance can apply them).
 */
@OrderServiceIntegrationTest
class OrderCacheIntegrationTests {

	static ConfigurableApplicationContext instanceA;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Autowired
	ConfirmedPublisher publisher;

	RestTestClient client;

	RestTestClient clientOfA;

	@BeforeAll
	static void startInstanceA() {
		// a local level that outlives every wait below: only an invalidation can refresh
		// it
		instanceA = OrderServiceInstances.start("orders.cache.l1.ttl=10m", "orders.messaging.consume-results=false");
		assertThat(instanceA.getBean(RabbitListenerEndpointRegistry.class)
			.getListenerContainer("order-processed")
			.isRunning()).isFalse();
	}

	@AfterAll
	static void stopInstanceA() {
		instanceA.close();
	}

	@BeforeEach
	void setUp() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		this.clientOfA = RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + OrderServiceInstances.port(instanceA))
			.build();
	}

	@Test
	void secondReadOfAnOrderIsServedByTheLocalLevel() {
		long user = TestData.newUser();
		String id = TestData.placeOrder(this.client, user, TestData.newProduct(this.jdbc, 10, 100), 1);
		double hits = gets(this.meters, "l1", "hit");
		double loads = loads(this.meters);

		assertThat(status(this.client, user, id)).isEqualTo("PENDING");
		assertThat(status(this.client, user, id)).isEqualTo("PENDING");

		assertThat(gets(this.meters, "l1", "hit") - hits).isEqualTo(1);
		assertThat(loads(this.meters) - loads).isEqualTo(1);
	}

	@Test
	void hundredConcurrentReadsOfAnUncachedOrderLoadItOnce() throws Exception {
		long user = TestData.newUser();
		String id = TestData.placeOrder(this.client, user, TestData.newProduct(this.jdbc, 10, 100), 1);
		PlatformInfrastructure infrastructure = PlatformInfrastructure.get();
		// a replica a second behind: the owner's reads wait for their write (up to 200
		// ms)
		// before the primary serves them, so the one load is slow and the others queue
		infrastructure.delayReplica(Duration.ofSeconds(1));
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			String newId = TestData.placeOrder(this.client, user, TestData.newProduct(this.jdbc, 10, 100), 1);
			double loads = loads(this.meters);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<String>> reads = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				reads.add(threads.submit(() -> {
					start.await();
					return status(this.client, user, newId);
				}));
			}
			start.countDown();
			for (Future<String> read : reads) {
				assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo("PENDING");
			}
			assertThat(loads(this.meters) - loads).isEqualTo(1);
		}
		finally {
			infrastructure.delayReplica(Duration.ZERO);
		}
		assertThat(status(this.client, user, id)).isEqualTo("PENDING");
	}

	@Test
	void statusChangeAppliedByAnotherInstanceReplacesTheValueInThisInstancesLocalLevel() {
		MeterRegistry metersOfA = instanceA.getBean(MeterRegistry.class);
		long user = TestData.newUser();
		String id = TestData.placeOrder(this.clientOfA, user, TestData.newProduct(this.jdbc, 10, 100), 1);
		assertThat(status(this.clientOfA, user, id)).isEqualTo("PENDING");
		double hits = gets(metersOfA, "l1", "hit");
		assertThat(status(this.clientOfA, user, id)).isEqualTo("PENDING");
		assertThat(gets(metersOfA, "l1", "hit") - hits).as("A holds the order in its local level").isEqualTo(1);

		new WorkerResults(this.publisher).publish(WorkerResults.confirmed(id));

		await().atMost(Duration.ofSeconds(15)).until(() -> status(this.clientOfA, user, id).equals("CONFIRMED"));
		assertThat(status(this.client, user, id)).isEqualTo("CONFIRMED");
	}

	@Test
	void restockOnOneInstanceReachesTheCatalogCachedByAnother() {
		String sku = TestData.newProduct(this.jdbc, 10, 100);
		assertThat(stockOf(this.clientOfA, sku)).isEqualTo(10);
		assertThat(stockOf(this.clientOfA, sku)).isEqualTo(10);

		this.client.post()
			.uri("/api/admin/products/" + sku + "/restock")
			.header("X-User-Id", Long.toString(TestData.newUser()))
			.header("X-User-Roles", "ADMIN")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"quantity\":5}")
			.exchange()
			.expectStatus()
			.isOk();

		assertThat(stockOf(this.client, sku)).as("the writer's own cache, at once").isEqualTo(15);
		await().atMost(Duration.ofSeconds(15)).until(() -> stockOf(this.clientOfA, sku) == 15);
	}

	static String status(RestTestClient client, long user, String id) {
		return (String) client.get()
			.uri("/api/orders/" + id)
			.header("X-User-Id", Long.toString(user))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("status");
	}

	@SuppressWarnings("unchecked")
	static int stockOf(RestTestClient client, String sku) {
		List<Map<String, Object>> products = client.get()
			.uri("/api/products")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(List.class)
			.returnResult()
			.getResponseBody();
		return products.stream()
			.filter((product) -> sku.equals(product.get("sku")))
			.map((product) -> ((Number) product.get("stock")).intValue())
			.findFirst()
			.orElseThrow();
	}

	static double gets(MeterRegistry meters, String level, String result) {
		return meters.get("cache.gets")
			.tag("cache", OrderCaches.ORDERS)
			.tag("level", level)
			.tag("result", result)
			.counter()
			.count();
	}

	static double loads(MeterRegistry meters) {
		return meters.get("cache.loads")
			.tag("cache", OrderCaches.ORDERS)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

}
