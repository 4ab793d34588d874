package dev.sysdesign.contracts.messages;

/**
 * One kind of message of the platform: its type name (the envelope's {@code type}), where
 * it is published (exchange and routing key) and the record of its payload. The producer
 * publishes and the consumer reads with the same constant, so both sides agree by
 * construction.
 *
 * @param name the type name, such as {@code order.placed}
 * @param exchange the topic exchange it is published to
 * @param routingKey its routing key
 * @param payload the payload's record
 * @param <T> the payload type
 */
public record MessageType<T>(String name, String exchange, String routingKey, Class<T> payload) {

	@Override
	public String toString() {
		return this.name;
	}

}
