package dev.sysdesign.redis.session;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * Serializes session values as plain JSON, without type information: strings, numbers and
 * booleans (Spring Session's own {@code creationTime}, {@code lastAccessedTime} and
 * {@code maxInactiveInterval}, and the platform's string attributes). Both the servlet
 * session-service and the reactive gateway read them, and so can an operator with
 * {@code redis-cli HGETALL}.
 * <p>
 * Numbers read back as {@code Integer} when they fit, otherwise {@code Long}, which is
 * what Spring Session expects of its own values.
 */
public final class SessionJsonRedisSerializer implements RedisSerializer<Object> {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Override
	public byte @Nullable [] serialize(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		try {
			return json.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Cannot write a session value of type " + value.getClass(), ex);
		}
	}

	@Override
	public @Nullable Object deserialize(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length == 0) {
			return null;
		}
		try {
			return json.readValue(bytes, Object.class);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Cannot read a session value", ex);
		}
	}

}
