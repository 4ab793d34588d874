package dev.sysdesign.orders.live;

import java.time.Duration;
import java.time.Instant;

import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.event.EventListener;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import dev.sysdesign.orders.order.OrderStatus;
import dev.sysdesign.orders.order.OrderStatusChanged;

/**
 * {@code WS /ws/orders}: pushes
 * {@code {"type":"order-status","orderId","status","updatedAt"}} to every open connection
 * of an order's owner on this instance whenever the order leaves {@code PENDING}; every
 * instance hears every change ({@link OrderStatusChanged} from the fan-out), so the
 * owner's connections get it wherever they are held.
 * <p>
 * Clients send nothing, except optionally {@code {"type":"ping"}}, answered with
 * {@code {"type":"pong"}} (a keep-alive browsers can send); other text frames are
 * ignored, binary frames close the connection (1003), frames over 1 KiB too (1009).
 */
class OrderStatusSocket extends TextWebSocketHandler {

	private static final Logger log = LoggerFactory.getLogger(OrderStatusSocket.class);

	/** Largest frame a client may send: they send nothing but an occasional ping. */
	static final int MAX_INCOMING_FRAME = 1024;

	private static final String CONNECTION = "live.connection";

	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private static final TextMessage PONG = new TextMessage("{\"type\":\"pong\"}");

	private final LiveConnections connections;

	private final JsonMapper json;

	private final int sendTimeLimit;

	private final int sendBufferSizeLimit;

	OrderStatusSocket(LiveConnections connections, JsonMapper json, LiveProperties properties) {
		this.connections = connections;
		this.json = json;
		this.sendTimeLimit = Math.toIntExact(properties.sendTimeLimit().toMillis());
		this.sendBufferSizeLimit = Math.toIntExact(properties.sendBufferSizeLimit().toBytes());
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		session.setTextMessageSizeLimit(MAX_INCOMING_FRAME);
		session.setBinaryMessageSizeLimit(MAX_INCOMING_FRAME);
		limitBlockingWrites(session);
		LiveConnection connection = new LiveConnection(
				new ConcurrentWebSocketSessionDecorator(session, this.sendTimeLimit, this.sendBufferSizeLimit),
				(Long) session.getAttributes().get(IdentityHandshake.USER_ID),
				(String) session.getAttributes().get(IdentityHandshake.SESSION));
		session.getAttributes().put(CONNECTION, connection);
		this.connections.add(connection, (Duration) session.getAttributes().get(IdentityHandshake.SESSION_TTL));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		LiveConnection connection = (LiveConnection) session.getAttributes().get(CONNECTION);
		if (connection != null && isPing(message.getPayload())) {
			this.connections.send(connection, PONG);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		LiveConnection connection = (LiveConnection) session.getAttributes().get(CONNECTION);
		if (connection != null) {
			log.debug("Live connection {} of user {} closed: {}", connection.id(), connection.userId(), status);
			this.connections.remove(connection, status);
		}
	}

	@EventListener
	void orderStatusChanged(OrderStatusChanged change) {
		this.connections.push(change.userId(), new TextMessage(this.json.writeValueAsString(new StatusFrame(change))));
	}

	/**
	 * Tomcat blocks a write to a client that does not read for 20 s by default; this
	 * bounds it by the send time limit too, so that the writing thread and the socket are
	 * released soon.
	 */
	private void limitBlockingWrites(WebSocketSession session) {
		if (session instanceof NativeWebSocketSession nativeSession
				&& nativeSession.getNativeSession() instanceof Session socket) {
			socket.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, (long) this.sendTimeLimit);
		}
	}

	private boolean isPing(String payload) {
		try {
			JsonNode frame = this.json.readTree(payload);
			return frame.isObject() && "ping".equals(frame.path("type").asString(null));
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/**
	 * The frame of a status change.
	 *
	 * @param type always {@code order-status}
	 * @param orderId the order
	 * @param status its new status
	 * @param updatedAt when it changed
	 */
	record StatusFrame(String type, String orderId, OrderStatus status, Instant updatedAt) {

		StatusFrame(OrderStatusChanged change) {
			this("order-status", change.orderId().toString(), change.status(), change.updatedAt());
		}

	}

}
