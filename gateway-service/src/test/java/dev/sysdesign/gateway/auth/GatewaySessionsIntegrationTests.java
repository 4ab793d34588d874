package dev.sysdesign.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.data.redis.ReactiveRedisIndexedSessionRepository;

import dev.sysdesign.gateway.TestSessions;
import dev.sysdesign.redis.session.SessionFormat;
import dev.sysdesign.redis.session.SessionJsonRedisSerializer;
import dev.sysdesign.redis.session.SessionLifetime;
import dev.sysdesign.testing.UsePlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's refresh of a session racing session-service's logout, with the
 * interleaving forced: the session is deleted right after the gateway read it and before
 * its refresh. The session stays deleted and the request is not authenticated. And a
 * refresh that wins extends every expiry of the session, as Spring Session's own save
 * does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@UsePlatformInfrastructure
class GatewaySessionsIntegrationTests {

	@Autowired
	RedisConnectionFactory redis;

	@Autowired
	ReactiveRedisConnectionFactory reactiveRedis;

	@Test
	void aRefreshRacingALogoutDoesNotResurrectTheSession() {
		TestSessions sessionService = new TestSessions(this.redis);
		String id = sessionService.login(70_001, "USER");
		Instant read = Instant.now().minus(Duration.ofMinutes(1));
		sessionService.lastAccessed(id, read);
		GatewaySessions gateway = gatewaySessions(repositoryThatLosesTheRace(sessionService));

		Identity identity = gateway.authenticate(id).block(Duration.ofSeconds(10));

		assertThat(identity).as("a session deleted before its refresh authenticates nothing").isNull();
		StringRedisTemplate keys = new StringRedisTemplate(this.redis);
		// session-service's delete leaves the hash, marked expired, for a few minutes
		assertThat(keys.<String, String>opsForHash().entries("spring:session:sessions:" + id))
			.as("the session hash, if any, is still the deleted one")
			.satisfiesAnyOf((hash) -> assertThat(hash).isEmpty(),
					(hash) -> assertThat(hash).containsEntry("maxInactiveInterval", "0")
						.containsEntry("lastAccessedTime", Long.toString(read.toEpochMilli())));
		assertThat(keys.hasKey("spring:session:sessions:expires:" + id)).as("its expires key").isFalse();
		assertThat(keys.opsForZSet().score("spring:session:sessions:expirations", id)).as("its expiry entry").isNull();
		assertThat(keys.hasKey("spring:session:sessions:" + id + ":idx")).as("its index set").isFalse();
	}

	@Test
	void aRefreshExtendsEveryExpiryOfTheSession() {
		TestSessions sessionService = new TestSessions(this.redis);
		String id = sessionService.login(70_002, "USER");
		Instant before = Instant.now().minus(Duration.ofMinutes(20));
		sessionService.lastAccessed(id, before);
		StringRedisTemplate keys = new StringRedisTemplate(this.redis);
		keys.expire("spring:session:sessions:expires:" + id, Duration.ofMinutes(10));
		GatewaySessions gateway = gatewaySessions(repository());

		assertThat(gateway.authenticate(id).block(Duration.ofSeconds(10))).isNotNull();

		assertThat(sessionService.lastAccessed(id)).isAfter(before.plus(Duration.ofMinutes(19)));
		assertThat(keys.getExpire("spring:session:sessions:expires:" + id)).as("seconds until the session ends")
			.isGreaterThan(Duration.ofMinutes(29).toSeconds());
		assertThat(keys.getExpire("spring:session:sessions:" + id)).as("the hash outlives it by 5 minutes")
			.isGreaterThan(Duration.ofMinutes(34).toSeconds());
		assertThat(keys.opsForZSet().score("spring:session:sessions:expirations", id))
			.isGreaterThan((double) Instant.now().plus(Duration.ofMinutes(29)).toEpochMilli());
		sessionService.delete(id);
	}

	private GatewaySessions gatewaySessions(ReactiveRedisIndexedSessionRepository repository) {
		return new GatewaySessions(repository, new ReactiveStringRedisTemplate(this.reactiveRedis),
				new SessionLifetime(Duration.ofHours(12)), Duration.ofSeconds(1), Clock.systemUTC());
	}

	private ReactiveRedisIndexedSessionRepository repository() {
		ReactiveRedisIndexedSessionRepository repository = new ReactiveRedisIndexedSessionRepository(sessionTemplate(),
				new ReactiveStringRedisTemplate(this.reactiveRedis));
		repository.setRedisKeyNamespace(SessionFormat.NAMESPACE);
		return repository;
	}

	/**
	 * A repository whose every read is followed by session-service deleting the session.
	 */
	private ReactiveRedisIndexedSessionRepository repositoryThatLosesTheRace(TestSessions sessionService) {
		ReactiveRedisIndexedSessionRepository repository = new ReactiveRedisIndexedSessionRepository(sessionTemplate(),
				new ReactiveStringRedisTemplate(this.reactiveRedis)) {

			@Override
			public Mono<RedisSession> findById(String id) {
				return super.findById(id).flatMap((session) -> Mono.fromRunnable(() -> sessionService.delete(id))
					.subscribeOn(Schedulers.boundedElastic())
					.thenReturn(session));
			}

		};
		repository.setRedisKeyNamespace(SessionFormat.NAMESPACE);
		return repository;
	}

	private ReactiveRedisTemplate<String, Object> sessionTemplate() {
		SessionJsonRedisSerializer values = new SessionJsonRedisSerializer();
		return new ReactiveRedisTemplate<>(this.reactiveRedis,
				RedisSerializationContext.<String, Object>newSerializationContext(StringRedisSerializer.UTF_8)
					.key(StringRedisSerializer.UTF_8)
					.hashKey(StringRedisSerializer.UTF_8)
					.value(values)
					.hashValue(values)
					.build());
	}

}
