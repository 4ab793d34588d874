package dev.sysdesign.worker.deadletters;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A message no consumer could process, as operators see it.
 *
 * @param id its id in the table
 * @param messageId the message's id, when it had one
 * @param messageType its type, when known
 * @param queue the queue it was consumed from
 * @param exchange the exchange it was first published to
 * @param routingKey its routing key
 * @param error why it was dead-lettered
 * @param attempts how often it was tried
 * @param payload the body, when it is text
 * @param deadLetteredAt when it was dead-lettered
 * @param replayedAt when an operator replayed it
 * @param body the raw body (not shown)
 * @param contentType the body's content type (not shown)
 * @param traceparent the trace context it carried (not shown)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(long id, @Nullable String messageId, @Nullable String messageType, @Nullable String queue,
		@Nullable String exchange, @Nullable String routingKey, String error, int attempts, @Nullable String payload,
		Instant deadLetteredAt, @Nullable Instant replayedAt, @JsonIgnore byte[] body,
		@JsonIgnore @Nullable String contentType, @JsonIgnore @Nullable String traceparent) {

	boolean replayed() {
		return this.replayedAt != null;
	}

}
