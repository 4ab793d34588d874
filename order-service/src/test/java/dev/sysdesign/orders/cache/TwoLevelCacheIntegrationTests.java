package dev.sysdesign.orders.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

import dev.sysdesign.orders.database.ReadRouting;
import dev.sysdesign.testing.PlatformInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two-level cache's guarantees against a real Redis, with two caches standing for two
 * service instances: concurrent misses load once, an invalidation during a load removes
 * what the load brought (locally and in Redis), the next load after an invalidation reads
 * from the primary, and a cache whose Redis is unreachable still serves.
 */
class TwoLevelCacheIntegrationTests {

	private static final CacheProperties PROPERTIES = new CacheProperties(
			true, new CacheProperties.L1(1000, Duration.ofMinutes(5)), new CacheProperties.L2(true,
					Duration.ofMinutes(5), 0.1, "test:cache:" + UUID.randomUUID() + ":", Duration.ofSeconds(5)),
			Duration.ofSeconds(60));

	private static final ValueCodec<String> STRINGS = new ValueCodec<>() {

		@Override
		public byte[] write(String value) {
			return value.getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public String read(byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}

	};

	private final List<LettuceConnectionFactory> connections = new ArrayList<>();

	private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

	@AfterEach
	void close() {
		this.threads.shutdownNow();
		this.connections.forEach(LettuceConnectionFactory::destroy);
	}

	@Test
	void hundredConcurrentMissesForOneKeyLoadOnce() throws Exception {
		MeterRegistry meters = new SimpleMeterRegistry();
		TwoLevelCache cache = cache(meters, redisPort());
		AtomicInteger loads = new AtomicInteger();
		List<Future<String>> readers = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			readers.add(this.threads.submit(() -> cache.get("order-1", () -> {
				loads.incrementAndGet();
				// hold the load until all hundred readers have missed
				await().atMost(Duration.ofSeconds(10)).until(() -> count(meters, "l1", "miss") == 100);
				return "loaded";
			})));
		}
		for (Future<String> reader : readers) {
			assertThat(reader.get(20, TimeUnit.SECONDS)).isEqualTo("loaded");
		}
		assertThat(loads).hasValue(1);
		assertThat(count(meters, "l1", "miss")).isEqualTo(100);
		assertThat(cache.get("order-1", () -> "loaded again")).isEqualTo("loaded");
		assertThat(count(meters, "l1", "hit")).isEqualTo(1);
	}

	@Test
	void secondInstanceReadsTheFirstInstancesFillFromRedis() {
		TwoLevelCache first = cache(new SimpleMeterRegistry(), redisPort());
		MeterRegistry secondMeters = new SimpleMeterRegistry();
		TwoLevelCache second = cache(secondMeters, redisPort());
		assertThat(first.get("order-2", () -> "from the database")).isEqualTo("from the database");

		assertThat(second.get("order-2", () -> "loaded twice")).isEqualTo("from the database");
		assertThat(count(secondMeters, "l2", "hit")).isEqualTo(1);
	}

	@Test
	void invalidationDuringALoadRemovesWhatTheLoadBroughtOnEveryLevel() throws Exception {
		TwoLevelCache instanceA = cache(new SimpleMeterRegistry(), redisPort());
		TwoLevelCache instanceB = cache(new SimpleMeterRegistry(), redisPort());
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch changed = new CountDownLatch(1);
		// A reads the old value (say, from a lagging replica) while B commits a change
		Future<String> staleRead = this.threads.submit(() -> instanceA.get("order-3", () -> {
			loading.countDown();
			changed.await(10, TimeUnit.SECONDS);
			return "PENDING";
		}));
		assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
		instanceB.evict("order-3");
		changed.countDown();
		// and the fan-out reaches A while its load is still in progress
		CompletableFuture<Void> fanOut = CompletableFuture.runAsync(() -> instanceA.evict("order-3"), this.threads);
		assertThat(staleRead.get(10, TimeUnit.SECONDS)).isEqualTo("PENDING");
		fanOut.get(10, TimeUnit.SECONDS);

		assertThat(instanceA.get("order-3", () -> "CONFIRMED")).isEqualTo("CONFIRMED");
		assertThat(instanceB.get("order-3", () -> "CONFIRMED (B)")).isEqualTo("CONFIRMED");
	}

	/**
	 * An eviction (the fan-out listener's work) returns while a load of the key is
	 * blocked: a slow database never holds up the evictions and pushes of every other
	 * key.
	 */
	@Test
	void anEvictionNeverWaitsForALoadInProgress() throws Exception {
		TwoLevelCache cache = cache(new SimpleMeterRegistry(), redisPort());
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Future<String> slowLoad = this.threads.submit(() -> cache.get("order-8", () -> {
			loading.countDown();
			release.await(60, TimeUnit.SECONDS);
			return "PENDING";
		}));
		assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
		try {
			CompletableFuture.runAsync(() -> cache.evict("order-8"), this.threads).get(10, TimeUnit.SECONDS);
			assertThat(slowLoad).as("the load is still blocked").isNotDone();
		}
		finally {
			release.countDown();
		}
		assertThat(slowLoad.get(10, TimeUnit.SECONDS)).isEqualTo("PENDING");
		assertThat(cache.get("order-8", () -> "CONFIRMED")).as("what the evicted load brought was not kept")
			.isEqualTo("CONFIRMED");
	}

	@Test
	void fillRacingWithAnInvalidationOnAnotherInstanceIsRefusedByRedis() throws Exception {
		TwoLevelCache instanceA = cache(new SimpleMeterRegistry(), redisPort());
		TwoLevelCache instanceB = cache(new SimpleMeterRegistry(), redisPort());
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch changed = new CountDownLatch(1);
		Future<String> staleRead = this.threads.submit(() -> instanceA.get("order-4", () -> {
			loading.countDown();
			changed.await(10, TimeUnit.SECONDS);
			return "PENDING";
		}));
		assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
		instanceB.evict("order-4");
		changed.countDown();
		assertThat(staleRead.get(10, TimeUnit.SECONDS)).isEqualTo("PENDING");

		// A's fan-out has not arrived yet, but B and any other instance load again
		TwoLevelCache instanceC = cache(new SimpleMeterRegistry(), redisPort());
		assertThat(instanceC.get("order-4", () -> "CONFIRMED")).isEqualTo("CONFIRMED");
	}

	@Test
	void loadsSoonAfterAnInvalidationReadFromThePrimaryOnEveryInstance() {
		TwoLevelCache instanceA = cache(new SimpleMeterRegistry(), redisPort());
		assertThat(instanceA.get("order-5", TwoLevelCacheIntegrationTests::readsFromPrimary)).isEqualTo("false");

		instanceA.evict("order-5");

		assertThat(instanceA.get("order-5", TwoLevelCacheIntegrationTests::readsFromPrimary)).isEqualTo("true");
		// an instance that never saw the invalidation learns it from Redis's generation
		MeterRegistry meters = new SimpleMeterRegistry();
		TwoLevelCache instanceB = cache(meters, redisPort());
		instanceA.evict("order-5");
		assertThat(instanceB.get("order-5", TwoLevelCacheIntegrationTests::readsFromPrimary)).isEqualTo("true");
		assertThat(meters.get("cache.loads").tag("source", "primary").counter().count()).isEqualTo(1);
		assertThat(instanceB.get("order-5-other", TwoLevelCacheIntegrationTests::readsFromPrimary)).isEqualTo("false");
	}

	@Test
	void withoutRedisValuesComeFromTheLocalLevelAndTheLoaderWithAMetric() {
		MeterRegistry meters = new SimpleMeterRegistry();
		TwoLevelCache cache = cache(meters, unusedPort());
		AtomicInteger loads = new AtomicInteger();

		assertThat(cache.get("order-6", () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
		assertThat(cache.get("order-6", () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
		cache.evict("order-6");
		assertThat(cache.get("order-6", TwoLevelCacheIntegrationTests::readsFromPrimary)).isEqualTo("true");

		assertThat(meters.get("cache.l2.errors").counter().count()).isPositive();
		assertThat(meters.get("cache.l2.available").gauge().value()).isZero();
	}

	@Test
	void sharedEntriesLiveForTheirTtlWithJitterSoThatTheyDoNotExpireTogether() {
		TwoLevelCache cache = cache(new SimpleMeterRegistry(), redisPort());
		List<Long> ttls = new ArrayList<>();
		long started = System.nanoTime();
		try (var redis = this.connections.get(0).getConnection()) {
			for (int i = 0; i < 20; i++) {
				cache.get("jitter-" + i, () -> "value");
				byte[] key = (PROPERTIES.l2().keyPrefix() + "test:{jitter-" + i + "}").getBytes(StandardCharsets.UTF_8);
				ttls.add(redis.keyCommands().pTtl(key));
			}
		}
		// 5 min +- 10 %, less at most the time the test took since the first fill
		long elapsed = Duration.ofNanos(System.nanoTime() - started).toMillis();
		assertThat(ttls).allSatisfy((ttl) -> assertThat(ttl).isBetween(270_000L - elapsed, 330_000L));
		assertThat(ttls.stream().distinct().count()).as("different expiries").isGreaterThan(10);
	}

	private TwoLevelCache cache(MeterRegistry meters, int redisPort) {
		LettuceConnectionFactory connections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(PlatformInfrastructure.get().redis().host(), redisPort));
		connections.afterPropertiesSet();
		connections.start();
		this.connections.add(connections);
		RedisTemplate<String, byte[]> redis = new RedisTemplate<>();
		redis.setConnectionFactory(connections);
		redis.setKeySerializer(RedisSerializer.string());
		redis.setValueSerializer(RedisSerializer.byteArray());
		redis.afterPropertiesSet();
		SharedLevel shared = new SharedLevel(redis, PROPERTIES, Clock.systemUTC(), meters);
		return new TwoLevelCache("test", PROPERTIES, shared, STRINGS, meters);
	}

	private static String readsFromPrimary() {
		return Boolean.toString(ReadRouting.primaryRequired());
	}

	private static int redisPort() {
		return PlatformInfrastructure.get().redis().port();
	}

	private static int unusedPort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static double count(MeterRegistry meters, String level, String result) {
		return meters.get("cache.gets").tag("level", level).tag("result", result).counter().count();
	}

}
