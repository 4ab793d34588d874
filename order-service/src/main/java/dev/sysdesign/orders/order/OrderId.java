package dev.sysdesign.orders.order;

import java.util.UUID;

import dev.sysdesign.messaging.TimeOrderedUuids;

/**
 * An order's identity: a UUID version 7 (time-ordered, so new orders append to the
 * primary key's index instead of splitting its pages).
 *
 * @param value the UUID
 */
public record OrderId(UUID value) {

	/**
	 * A new id for the current time.
	 * @return the id
	 */
	public static OrderId next() {
		return new OrderId(TimeOrderedUuids.next());
	}

	/**
	 * Reads an id.
	 * @param value the canonical UUID text
	 * @return the id
	 * @throws IllegalArgumentException when the text is not a UUID
	 */
	public static OrderId of(String value) {
		return new OrderId(UUID.fromString(value));
	}

	@Override
	public String toString() {
		return this.value.toString();
	}

}
