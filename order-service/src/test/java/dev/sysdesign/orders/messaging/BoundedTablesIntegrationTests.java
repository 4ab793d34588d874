package dev.sysdesign.orders.messaging;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.messaging.ConfirmedPublisher;
import dev.sysdesign.orders.TestData;
import dev.sysdesign.testing.MessageProbe;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Under steady load the messaging tables stay bounded: the outbox holds only what is
 * still to be sent (a row goes once the broker confirmed it), and the inbox only the
 * retention window of processed message ids (2 s here, 7 days by default). Orders are
 * placed at a steady pace for 30 s, each answered by a worker result; both tables are
 * sampled throughout.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "platform.messaging.inbox.retention=2s", "platform.messaging.inbox.purge-interval=500ms",
				"RATE_LIMIT_ORDERS_RATE=100000" })
@UsePlatformInfrastructure(schema = "orders")
class BoundedTablesIntegrationTests {

	static final int ORDERS_PER_SECOND = 10;

	static final int SECONDS = 30;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ConfirmedPublisher publisher;

	@Test
	void outboxAndInboxStayBoundedUnderSteadyLoad() throws Exception {
		RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		WorkerResults worker = new WorkerResults(this.publisher);
		String sku = TestData.newProduct(this.jdbc, ORDERS_PER_SECOND * SECONDS, 100);
		LocalDateTime started = LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1);
		AtomicLong maxOutbox = new AtomicLong();
		AtomicLong maxInbox = new AtomicLong();
		int total = ORDERS_PER_SECOND * SECONDS;
		CountDownLatch placed = new CountDownLatch(total);
		ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
		// a queue takes order.placed whether or not worker-service declared its own yet
		// (the
		// relay keeps an unroutable message until one does)
		try (MessageProbe placedMessages = MessageProbe.watch("order-events", "order.placed")) {
			load.scheduleAtFixedRate(() -> {
				maxOutbox.accumulateAndGet(outboxRowsOf(sku), Math::max);
				maxInbox.accumulateAndGet(inboxRowsSince(started), Math::max);
			}, 0, 200, TimeUnit.MILLISECONDS);
			load.scheduleAtFixedRate(() -> {
				if (placed.getCount() > 0) {
					String id = TestData.placeOrder(client, TestData.newUser(), sku, 1);
					worker.publish(WorkerResults.confirmed(id));
					placed.countDown();
				}
			}, 0, 1000 / ORDERS_PER_SECOND, TimeUnit.MILLISECONDS);
			assertThat(placed.await(SECONDS * 4L, TimeUnit.SECONDS)).as("%d orders placed", total).isTrue();
			await("the outbox is empty once the broker confirmed everything").atMost(Duration.ofSeconds(30))
				.until(() -> outboxRowsOf(sku) == 0);
			await("every processed id is purged after the retention").atMost(Duration.ofSeconds(30))
				.until(() -> inboxRowsSince(started) == 0);
		}
		finally {
			load.shutdownNow();
			load.awaitTermination(10, TimeUnit.SECONDS);
		}
		assertThat(maxOutbox.get()).as("most unsent outbox rows of the %d orders at any time", total)
			.isLessThan(total / 5);
		assertThat(maxInbox.get()).as("most inbox rows of the %d results at any time", total).isLessThan(total / 3);
	}

	private long outboxRowsOf(String sku) {
		return this.jdbc.sql("SELECT COUNT(*) FROM outbox WHERE payload LIKE ?")
			.param("%" + sku + "%")
			.query(Long.class)
			.single();
	}

	private long inboxRowsSince(LocalDateTime started) {
		return this.jdbc.sql("SELECT COUNT(*) FROM inbox WHERE processed_at >= ?")
			.param(started)
			.query(Long.class)
			.single();
	}

}
