package dev.sysdesign.orders.live;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;

/**
 * One open {@code /ws/orders} connection: its user, the session that opened it, and the
 * socket behind a {@link ConcurrentWebSocketSessionDecorator}, so that one thread writes
 * at a time, others queue, and a client that reads too slowly is closed with 4500.
 */
final class LiveConnection {

	private static final Logger log = LoggerFactory.getLogger(LiveConnection.class);

	private final WebSocketSession socket;

	private final long userId;

	private final String sessionReference;

	private volatile @Nullable ScheduledFuture<?> expiry;

	LiveConnection(WebSocketSession socket, long userId, String sessionReference) {
		this.socket = socket;
		this.userId = userId;
		this.sessionReference = sessionReference;
	}

	long userId() {
		return this.userId;
	}

	String sessionReference() {
		return this.sessionReference;
	}

	String id() {
		return this.socket.getId();
	}

	void expiry(ScheduledFuture<?> expiry) {
		this.expiry = expiry;
	}

	void cancelExpiry() {
		ScheduledFuture<?> scheduled = this.expiry;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

	/**
	 * Sends a frame; may block while the client's socket is full (at most the send time
	 * limit), so callers run it on a thread of its own.
	 * @return {@code true} when the frame was written or queued
	 */
	boolean send(TextMessage frame) {
		if (!this.socket.isOpen()) {
			return false;
		}
		try {
			this.socket.sendMessage(frame);
			return true;
		}
		catch (SessionLimitExceededException ex) {
			log.info("Closing slow live connection {} of user {}: {}", id(), this.userId, ex.getMessage());
			close(ex.getStatus());
			return false;
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Live connection {} failed: {}", id(), ex.toString());
			close(CloseStatus.SERVER_ERROR);
			return false;
		}
	}

	void close(CloseStatus status) {
		try {
			this.socket.close(status);
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Closing live connection {} failed: {}", id(), ex.toString());
		}
	}

	boolean isOpen() {
		return this.socket.isOpen();
	}

}
