package dev.sysdesign.orders.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sysdesign.contracts.messages.Exchanges;
import dev.sysdesign.contracts.messages.MessageType;
import dev.sysdesign.messaging.Outbox;
import dev.sysdesign.orders.OrderServiceInstances;
import dev.sysdesign.orders.TestData;
import dev.sysdesign.testing.MessageProbe;
import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.TcpProxy;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox relay against real faults: orders are accepted while RabbitMQ is unreachable
 * and published once it is back; a message no queue takes is retried until one does; two
 * instances relaying the same outbox never publish a row twice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "platform.messaging.relay.max-backoff=1s", "platform.messaging.relay.poll-interval=100ms" })
@UsePlatformInfrastructure(schema = "orders", proxied = PlatformInfrastructure.Component.RABBITMQ)
class OutboxRelayIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	MeterRegistry meters;

	@Test
	void ordersAreAcceptedWhileTheBrokerIsUnreachableAndPublishedWhenItIsBack() {
		RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		TcpProxy broker = PlatformInfrastructure.get().proxy(PlatformInfrastructure.Component.RABBITMQ);
		String sku = TestData.newProduct(this.jdbc, 100, 100);
		List<String> orders = new ArrayList<>();
		try (MessageProbe probe = MessageProbe.watch("order-events", "order.placed")) {
			broker.disable();
			try {
				for (int i = 0; i < 10; i++) {
					orders.add(TestData.placeOrder(client, TestData.newUser(), sku, 1));
				}
				await().atMost(Duration.ofSeconds(10))
					.until(() -> this.meters.get("outbox.publish.failures").counter().count() > 0);
				assertThat(probe.all()).isEmpty();
				assertThat(unsent(orders)).isEqualTo(10);
			}
			finally {
				broker.enable();
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> orders.stream().allMatch((id) -> !probe.forOrder(id).isEmpty()));
			orders.forEach((id) -> assertThat(probe.forOrder(id)).as("published once: " + id).hasSize(1));
			assertThat(unsent(orders)).isZero();
		}
	}

	@Test
	void unroutableMessageIsRetriedUntilAQueueTakesIt() {
		String routingKey = "test.unroutable." + UUID.randomUUID();
		String messageId = this.transactions
			.execute((status) -> this.outbox.append(testEvent(routingKey), new TestEvent("x")).messageId());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> lastError(messageId) != null && lastError(messageId).startsWith("unroutable"));
		assertThat(sent(messageId)).isFalse();

		try (MessageProbe probe = MessageProbe.watch("order-events", routingKey)) {
			await().atMost(Duration.ofSeconds(15)).until(() -> sent(messageId));
			await().atMost(Duration.ofSeconds(5)).until(() -> probe.all().size() == 1);
			assertThat(probe.all().get(0).properties().getMessageId()).isEqualTo(messageId);
		}
	}

	@Test
	void twoInstancesRelayingOneOutboxPublishEachRowOnce() {
		String routingKey = "test.relay." + UUID.randomUUID();
		try (MessageProbe probe = MessageProbe.watch("order-events", routingKey);
				ConfigurableApplicationContext second = OrderServiceInstances.start()) {
			MeterRegistry secondMeters = second.getBean(MeterRegistry.class);
			double firstBefore = published(this.meters);
			double secondBefore = published(secondMeters);
			Outbox secondOutbox = second.getBean(Outbox.class);
			TransactionTemplate secondTransactions = second.getBean(TransactionTemplate.class);
			Set<String> written = new HashSet<>();
			MessageType<TestEvent> type = testEvent(routingKey);
			for (int batch = 0; batch < 30; batch++) {
				Outbox target = (batch % 2 == 0) ? this.outbox : secondOutbox;
				TransactionTemplate transactions = (batch % 2 == 0) ? this.transactions : secondTransactions;
				transactions.executeWithoutResult((status) -> {
					for (int i = 0; i < 20; i++) {
						written.add(target.append(type, new TestEvent("1")).messageId());
					}
				});
			}

			await().atMost(Duration.ofSeconds(30)).until(() -> probe.all().size() >= written.size());
			List<String> received = probe.all().stream().map((m) -> m.properties().getMessageId()).toList();
			assertThat(received).hasSize(600).doesNotHaveDuplicates();
			assertThat(new HashSet<>(received)).isEqualTo(written);
			assertThat(published(this.meters) - firstBefore).as("first instance published").isPositive();
			assertThat(published(secondMeters) - secondBefore).as("second instance published").isPositive();
		}
	}

	private static double published(MeterRegistry meters) {
		return meters.get("outbox.published").counter().count();
	}

	private long unsent(List<String> orders) {
		long unsent = 0;
		for (String id : orders) {
			// the outbox holds only what is still to be sent: a confirmed row is deleted
			unsent += this.jdbc.sql("SELECT COUNT(*) FROM outbox WHERE payload LIKE ?")
				.param("%" + id + "%")
				.query(Long.class)
				.single();
		}
		return unsent;
	}

	private String lastError(String messageId) {
		return this.jdbc.sql("SELECT last_error FROM outbox WHERE message_id = ?")
			.param(messageId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/** Confirmed by the broker: the relay deleted the row. */
	private boolean sent(String messageId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM outbox WHERE message_id = ?")
			.param(messageId)
			.query(Long.class)
			.single() == 0;
	}

	private static MessageType<TestEvent> testEvent(String routingKey) {
		return new MessageType<>("test.event", Exchanges.ORDER_EVENTS, routingKey, TestEvent.class);
	}

	/** A payload of the tests' own message type. */
	record TestEvent(String orderId) {
	}

}
