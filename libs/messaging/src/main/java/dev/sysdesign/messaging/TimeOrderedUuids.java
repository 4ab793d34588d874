package dev.sysdesign.messaging;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUIDs of version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the
 * rest random. Ids made one after the other sort in time order, so rows keyed by them
 * append to the primary key's index instead of landing at random places in it (message
 * ids in the inbox, order ids).
 */
public final class TimeOrderedUuids {

	private TimeOrderedUuids() {
	}

	/**
	 * A new id for the current time.
	 * @return the UUID
	 */
	public static UUID next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long millis = System.currentTimeMillis();
		long mostSignificant = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
		long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(mostSignificant, leastSignificant);
	}

}
