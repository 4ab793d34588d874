package dev.sysdesign.orders;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.sysdesign.redis.session.SessionReference;
import dev.sysdesign.testing.PlatformInfrastructure;
import dev.sysdesign.testing.PlatformInfrastructure.Component;
import dev.sysdesign.testing.TcpProxy;
import dev.sysdesign.testing.UsePlatformInfrastructure;
import dev.sysdesign.testing.WebSocketProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The readiness contract: Redis and RabbitMQ are health components, not readiness. With
 * either cut off the service stays ready, and it reconnects by itself when it comes back
 * (for Redis, also its subscription to ended sessions). The connections really are cut,
 * by a TCP proxy between the service and the server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePlatformInfrastructure(schema = "orders", proxied = { Component.REDIS, Component.RABBITMQ })
class ConnectionRecoveryIntegrationTests {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	RabbitAdmin rabbitAdmin;

	@Autowired
	RedisMessageListenerContainer endedSessionsSubscription;

	@AfterEach
	void restoreConnections() {
		PlatformInfrastructure.get().proxy(Component.REDIS).enable();
		PlatformInfrastructure.get().proxy(Component.RABBITMQ).enable();
	}

	@Test
	void staysReadyWithoutRedisAndReconnects() {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(component("redis")).isEqualTo("UP"));
		this.redis.opsForValue().set("recovery-test", "before", Duration.ofMinutes(1));
		TcpProxy proxy = PlatformInfrastructure.get().proxy(Component.REDIS);

		proxy.disable();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(component("redis")).isEqualTo("DOWN"));
		assertThatException().isThrownBy(() -> this.redis.opsForValue().get("recovery-test"));
		assertReady();
		client().get().uri("/api/products").exchange().expectStatus().isOk();
		client().get().uri("/api/orders").header("X-User-Id", "424242").exchange().expectStatus().isOk();

		proxy.enable();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(component("redis")).isEqualTo("UP"));
		assertThat(this.redis.opsForValue().get("recovery-test")).isEqualTo("before");
	}

	@Test
	void endedSessionsCloseLiveConnectionsAgainOnceRedisIsBack() {
		await().atMost(Duration.ofSeconds(20)).until(this.endedSessionsSubscription::isListening);
		String session = SessionReference.of(UUID.randomUUID().toString());
		try (WebSocketProbe socket = WebSocketProbe.connect(URI.create("ws://localhost:" + this.port + "/ws/orders"),
				"X-User-Id", "424243", "X-User-Session", session, "X-User-Session-Ttl", "600")) {
			TcpProxy proxy = PlatformInfrastructure.get().proxy(Component.REDIS);
			proxy.disable();
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(component("redis")).isEqualTo("DOWN"));

			proxy.enable();

			// what is published while the subscriber reconnects is lost: publish until
			// heard
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
				this.redis.convertAndSend(SessionReference.ENDED_CHANNEL, session);
				assertThat(socket.isClosed()).isTrue();
			});
			assertThat(socket.awaitClose(Duration.ofSeconds(1)).code()).isEqualTo(1008);
		}
	}

	@Test
	void staysReadyWithoutRabbitMqAndReconnects() {
		TcpProxy proxy = PlatformInfrastructure.get().proxy(Component.RABBITMQ);

		proxy.disable();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(component("rabbit")).isEqualTo("DOWN"));
		assertReady();

		proxy.enable();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(component("rabbit")).isEqualTo("UP"));
		String queue = this.rabbitAdmin
			.declareQueue(new Queue("recovery-test-" + UUID.randomUUID(), false, true, true));
		this.rabbit.convertAndSend("", queue, "after");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.rabbit.receiveAndConvert(queue)).isEqualTo("after"));
	}

	private void assertReady() {
		management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
	}

	private String component(String name) {
		return management().get()
			.uri("/actuator/health/" + name)
			.exchange()
			.returnResult(String.class)
			.getResponseBody()
			.replaceAll("(?s).*\"status\":\"([A-Z_]+)\".*", "$1");
	}

	private RestTestClient client() {
		return RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	private RestTestClient management() {
		return RestTestClient.bindToServer().baseUrl("http://localhost:" + this.managementPort).build();
	}

}
