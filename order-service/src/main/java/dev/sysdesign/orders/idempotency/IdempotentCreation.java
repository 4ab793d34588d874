package dev.sysdesign.orders.idempotency;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code Idempotency-Key} protocol of a creation (an order today), whatever is
 * created: with a key, the creation's transaction claims it first
 * ({@link IdempotencyKeys}), so that a repeat of the same request returns what the first
 * one created and a different request with the same key is refused; without a key, the
 * creation just runs.
 */
@Component
public class IdempotentCreation {

	private final IdempotencyKeys keys;

	private final IdempotencyProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	IdempotentCreation(IdempotencyKeys keys, IdempotencyProperties properties, TransactionTemplate transactions,
			Clock clock) {
		this.keys = keys;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Creates something at most once per user and key.
	 * @param userId the caller
	 * @param key the client's key, or {@code null}
	 * @param fingerprint the request in canonical form (a repeat must match it)
	 * @param id the id the creation gives what it creates (stored with the key)
	 * @param create the creation, run in the key's transaction
	 * @param find what an earlier request with the key created, by its id
	 * @param <T> what is created
	 * @return the new thing, or the one an earlier request with the same key created
	 * @throws IdempotencyKeyReusedException when the key came with another request
	 * @throws IdempotencyKeyInFlightException when a request with the key is still
	 * running
	 */
	public <T> T create(long userId, @Nullable String key, Supplier<String> fingerprint, String id, Supplier<T> create,
			Function<String, Optional<T>> find) {
		if (key == null) {
			return this.transactions.execute((status) -> create.get());
		}
		String hash = fingerprint.get();
		for (int attempt = 1;; attempt++) {
			try {
				return this.transactions.execute((status) -> {
					this.keys.claim(userId, key, hash, id, now(), this.properties.ttl());
					return create.get();
				});
			}
			catch (IdempotencyKeys.KeyTakenException taken) {
				Optional<T> replay = this.transactions.execute((status) -> replay(userId, key, hash, find));
				if (replay.isPresent() || attempt >= 3) {
					return replay.orElseThrow(() -> new IllegalStateException("Idempotency-Key vanished thrice"));
				}
			}
		}
	}

	private <T> Optional<T> replay(long userId, String key, String hash, Function<String, Optional<T>> find) {
		Optional<IdempotencyKeys.StoredKey> stored = this.keys.find(userId, key);
		if (stored.isEmpty()) {
			return Optional.empty();
		}
		if (stored.get().expired(now())) {
			// an expired key is free again: the next attempt claims it
			this.keys.deleteIfExpired(userId, key, now());
			return Optional.empty();
		}
		if (!stored.get().requestHash().equals(hash)) {
			throw new IdempotencyKeyReusedException();
		}
		return find.apply(stored.get().orderId());
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
