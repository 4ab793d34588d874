package dev.sysdesign.orders.cache;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.orders.OrderServiceInstances;
import dev.sysdesign.orders.TestData;
import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.PlatformInfrastructure.Component;
import dev.sysdesign.testing.TcpProxy;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The caches when connections are cut for real (the TCP proxies close every connection
 * and refuse new ones). With Redis cut off, orders and the catalog are still read, from
 * the local level and the database, changes are still seen, and the shared level's
 * failures are counted; the shared level is used again once Redis is back. An instance
 * cut off from RabbitMQ misses the fan-out of other instances' changes, so it drops its
 * local level when it reconnects.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		// a local level that outlives any test here: only a reconnection can empty it
		properties = "orders.cache.l1.ttl=10m")
@UsePlatformInfrastructure(schema = "orders", proxied = { Component.REDIS, Component.RABBITMQ })
class CacheFaultIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@AfterEach
	void restoreConnections() {
		PlatformInfrastructure.get().proxy(Component.REDIS).enable();
		PlatformInfrastructure.get().proxy(Component.RABBITMQ).enable();
	}

	@Test
	void readsAndChangesWorkWithoutRedisAndTheSharedLevelReturns() {
		RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		long user = TestData.newUser();
		String sku = TestData.newProduct(this.jdbc, 10, 100);
		String id = TestData.placeOrder(client, user, sku, 1);
		assertThat(OrderCacheIntegrationTests.status(client, user, id)).isEqualTo("PENDING");
		double errors = l2Errors();
		TcpProxy redis = PlatformInfrastructure.get().proxy(Component.REDIS);

		redis.disable();
		assertThat(OrderCacheIntegrationTests.status(client, user, id)).isEqualTo("PENDING");
		assertThat(OrderCacheIntegrationTests.stockOf(client, sku)).isEqualTo(9);
		TestData.cancelOrder(client, user, id);
		assertThat(OrderCacheIntegrationTests.status(client, user, id)).isEqualTo("CANCELLED");
		assertThat(OrderCacheIntegrationTests.stockOf(client, sku)).isEqualTo(10);
		assertThat(l2Errors()).isGreaterThan(errors);
		assertThat(this.meters.get("cache.l2.available").gauge().value()).isZero();

		redis.enable();
		// the shared level is tried again on the first miss after a pause (a new order)
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			String next = TestData.placeOrder(client, user, sku, 1);
			assertThat(OrderCacheIntegrationTests.status(client, user, next)).isEqualTo("PENDING");
			assertThat(this.meters.get("cache.l2.available").gauge().value()).isOne();
		});
		assertThat(OrderCacheIntegrationTests.status(client, user, id)).isEqualTo("CANCELLED");
	}

	@Test
	void instanceThatLostTheBrokerDropsItsLocalLevelWhenItReconnects() {
		RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		TcpProxy rabbit = PlatformInfrastructure.get().proxy(Component.RABBITMQ);
		try (ConfigurableApplicationContext other = OrderServiceInstances.start()) {
			long user = TestData.newUser();
			String id = TestData.placeOrder(client, user, TestData.newProduct(this.jdbc, 10, 100), 1);
			assertThat(OrderCacheIntegrationTests.status(client, user, id)).isEqualTo("PENDING");
			rabbit.disable();
			TestData.cancelOrder(RestTestClient.bindToServer()
				.baseUrl("http://localhost:" + OrderServiceInstances.port(other))
				.build(), user, id);
			assertThat(OrderCacheIntegrationTests.status(client, user, id)).as("the fan-out cannot arrive")
				.isEqualTo("PENDING");

			rabbit.enable();
			// the local level keeps entries 10 minutes here: only the reconnection can
			// explain it
			await().atMost(Duration.ofSeconds(15))
				.until(() -> OrderCacheIntegrationTests.status(client, user, id).equals("CANCELLED"));
		}
		finally {
			rabbit.enable();
		}
	}

	private double l2Errors() {
		return this.meters.find("cache.l2.errors").counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

}
