package dev.sysdesign.session.account;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.sysdesign.session.SessionsProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The bounded queue in front of the hashing slots: a request beyond the queue is refused
 * at once, a queued one gives up after the longest wait, and a freed slot is taken.
 */
class PasswordHashingTests {

	/**
	 * Threads of their own: the common pool may have a single thread on a small machine.
	 */
	private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors
		.newVirtualThreadPerTaskExecutor();

	@org.junit.jupiter.api.AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void beyondTheQueueARequestIsRefusedAtOnce() throws Exception {
		PasswordHashing hashing = hashing(1, 0, Duration.ofSeconds(30));
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<String> holder = holdSlot(hashing, release);
		try {
			long started = System.nanoTime();
			assertThatExceptionOfType(PasswordHashingBusyException.class).isThrownBy(() -> hashing.hash("password"));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		}
		finally {
			release.countDown();
		}
		assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo("held");
		assertThat(hashing.matches("password", hashing.hash("password"))).isTrue();
	}

	@Test
	void aQueuedRequestGivesUpAfterTheLongestWait() throws Exception {
		PasswordHashing hashing = hashing(1, 8, Duration.ofMillis(200));
		CountDownLatch release = new CountDownLatch(1);
		holdSlot(hashing, release);
		try {
			assertThatExceptionOfType(PasswordHashingBusyException.class).isThrownBy(() -> hashing.hash("password"));
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void aQueuedRequestTakesTheSlotWhenItIsFreed() throws Exception {
		PasswordHashing hashing = hashing(1, 8, Duration.ofSeconds(60));
		CountDownLatch release = new CountDownLatch(1);
		holdSlot(hashing, release);
		CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> hashing.hash("password"), this.threads);
		await().atMost(Duration.ofSeconds(30)).until(() -> hashing.waiting() == 1);
		release.countDown();
		assertThat(hashing.matches("password", queued.get(60, TimeUnit.SECONDS))).isTrue();
	}

	private CompletableFuture<String> holdSlot(PasswordHashing hashing, CountDownLatch release)
			throws InterruptedException {
		CountDownLatch holding = new CountDownLatch(1);
		CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> hashing.bounded(() -> {
			holding.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return "held";
		}), this.threads);
		assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
		return holder;
	}

	private static PasswordHashing hashing(int concurrent, int queued, Duration wait) {
		return new PasswordHashing(new SessionsProperties(Duration.ofHours(12), false,
				new SessionsProperties.Login(5, 20, Duration.ofMinutes(15)),
				new SessionsProperties.PasswordHashing(concurrent, queued, wait),
				new SessionsProperties.Admin(null, null)));
	}

}
