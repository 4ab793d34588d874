package dev.sysdesign.messaging;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.sysdesign.contracts.messages.Messages;
import dev.sysdesign.contracts.messages.OrderPlaced;
import dev.sysdesign.contracts.messages.OrderProcessed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The consumer's side of the contracts: a payload is read as its record, and one that
 * breaks the contract is a malformed message naming what is wrong (what consumers
 * dead-letter at once).
 */
class EnvelopeCodecTests {

	private final EnvelopeCodec codec = new EnvelopeCodec(JsonMapper.builder().build());

	private static final String ORDER = UUID.randomUUID().toString();

	@Test
	void payloadIsReadAsItsRecordIgnoringFieldsAddedLater() {
		OrderPlaced placed = this.codec.payload(envelope("order.placed", """
				{"orderId":"%s","userId":7,"items":[{"sku":"KB-001","quantity":2,"unitPriceCents":8900}],
				 "totalCents":17800,"addedLater":true}""".formatted(ORDER)), Messages.ORDER_PLACED);
		assertThat(placed)
			.isEqualTo(new OrderPlaced(ORDER, 7, java.util.List.of(new OrderPlaced.Item("KB-001", 2, 8900)), 17800));
	}

	@Test
	void writtenPayloadReadsBackEqual() {
		OrderProcessed confirmed = OrderProcessed.confirmed(ORDER, "pay-1");
		Envelope written = Envelope.of("order.processed", Instant.now(), this.codec.json().valueToTree(confirmed));
		Envelope read = this.codec.read(this.codec.write(written));
		assertThat(this.codec.payload(read, Messages.ORDER_PROCESSED)).isEqualTo(confirmed);
		assertThat(read.data().has("reason")).as("absent fields are left out").isFalse();
	}

	@Test
	void anotherTypeIsRefusedNotGuessed() {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.codec.payload(envelope("order.exploded", "{}"), Messages.ORDER_PLACED))
			.withMessageContaining("unexpected message type order.exploded");
	}

	@Test
	void brokenContractNamesTheField() {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.codec.payload(envelope("order.processed", "{\"outcome\":\"CONFIRMED\"}"),
					Messages.ORDER_PROCESSED))
			.withMessage("orderId is missing");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(
					() -> this.codec.payload(
							envelope("order.placed",
									"""
											{"orderId":"%s","items":[{"sku":"KB-001","quantity":1,"unitPriceCents":1}],"totalCents":1}"""
										.formatted(ORDER)),
							Messages.ORDER_PLACED))
			.withMessage("userId must be positive");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.codec.payload(
				envelope("order.processed", "{\"orderId\":\"%s\",\"outcome\":\"MAYBE\"}".formatted(ORDER)),
				Messages.ORDER_PROCESSED))
			.withMessageStartingWith("outcome must be CONFIRMED or REJECTED");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.codec.payload(envelope("order.placed", """
					{"orderId":"%s","userId":"seven","items":[],"totalCents":1}""".formatted(ORDER)),
					Messages.ORDER_PLACED))
			.withMessageStartingWith("invalid order.placed payload");
	}

	private Envelope envelope(String type, String data) {
		return new Envelope(UUID.randomUUID().toString(), type, Instant.now(), this.codec.json().readTree(data));
	}

}
