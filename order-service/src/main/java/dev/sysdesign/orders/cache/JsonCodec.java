package dev.sysdesign.orders.cache;

import java.util.function.Function;

import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Values stored as JSON, optionally through a snapshot type that keeps the JSON form off
 * the domain class.
 *
 * @param <T> the value type
 * @param <S> the stored type
 */
public final class JsonCodec<T, S> implements ValueCodec<T> {

	private final JsonMapper json;

	private final JavaType stored;

	private final Function<T, S> toStored;

	private final Function<S, T> fromStored;

	private JsonCodec(JsonMapper json, JavaType stored, Function<T, S> toStored, Function<S, T> fromStored) {
		this.json = json;
		this.stored = stored;
		this.toStored = toStored;
		this.fromStored = fromStored;
	}

	public static <T> JsonCodec<T, T> of(JsonMapper json, JavaType type) {
		return new JsonCodec<>(json, type, Function.identity(), Function.identity());
	}

	public static <T, S> JsonCodec<T, S> via(JsonMapper json, Class<S> stored, Function<T, S> toStored,
			Function<S, T> fromStored) {
		return new JsonCodec<>(json, json.constructType(stored), toStored, fromStored);
	}

	@Override
	public byte[] write(T value) {
		return this.json.writeValueAsBytes(this.toStored.apply(value));
	}

	@Override
	public T read(byte[] bytes) {
		S value = this.json.readValue(bytes, this.stored);
		return this.fromStored.apply(value);
	}

}
