package dev.sysdesign.orders.cache;

/**
 * How a cache's values are stored in the shared level.
 *
 * @param <T> the value type
 */
public interface ValueCodec<T> {

	/**
	 * The stored form of a value.
	 * @param value the value
	 * @return its bytes
	 */
	byte[] write(T value);

	/**
	 * A value from its stored form.
	 * @param bytes what {@link #write} returned
	 * @return the value
	 */
	T read(byte[] bytes);

}
