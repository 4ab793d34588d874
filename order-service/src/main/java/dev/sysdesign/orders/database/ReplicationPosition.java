package dev.sysdesign.orders.database;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A replication position a replica must reach, kept per source of transactions: per
 * server UUID for MySQL ({@code uuid:1-42:45-50}, a GTID set), per replication domain for
 * MariaDB ({@code 0-1-42}). Each part carries the highest transaction number it contains,
 * so that positions {@linkplain #merge(ReplicationPosition) merge} without ever going
 * back: the newer part of each source wins, and a source only one side knows (after a
 * failover, a new server's UUID) is kept. Immutable.
 *
 * @param parts the parts by source
 */
public record ReplicationPosition(Map<String, Part> parts) {

	/** No position: nothing to wait for. */
	public static final ReplicationPosition NONE = new ReplicationPosition(Map.of());

	public ReplicationPosition {
		parts = Collections.unmodifiableMap(new TreeMap<>(parts));
	}

	/**
	 * The position holding both positions' transactions.
	 * @param other another position
	 * @return per source, the part with the higher transaction number
	 */
	public ReplicationPosition merge(ReplicationPosition other) {
		Map<String, Part> merged = new TreeMap<>(this.parts);
		other.parts.forEach((source, part) -> merged.merge(source, part,
				(mine, theirs) -> (theirs.highest() > mine.highest()) ? theirs : mine));
		return new ReplicationPosition(merged);
	}

	/**
	 * Whether there is anything to wait for.
	 * @return whether the position has no part
	 */
	public boolean isEmpty() {
		return this.parts.isEmpty();
	}

	/**
	 * The position as the server's wait function takes it.
	 * @return the parts' texts, comma-separated
	 */
	@Override
	public String toString() {
		return this.parts.values().stream().map(Part::text).collect(Collectors.joining(","));
	}

	/**
	 * The transactions of one source.
	 *
	 * @param highest the highest transaction number of the part
	 * @param text the part as the server writes it ({@code uuid:1-42} or {@code 0-1-42})
	 */
	public record Part(long highest, String text) {
	}

}
