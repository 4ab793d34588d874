package dev.sysdesign.orders.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;

/**
 * The open {@code /ws/orders} connections of this instance, by user.
 * <ul>
 * <li>A user holds at most {@code orders.live.max-connections-per-user} of them.</li>
 * <li>Frames are written on virtual threads, one per connection and frame, so a client
 * that reads slowly holds up nobody else; it is closed with 4500 once it exceeds the send
 * time or buffer limit.</li>
 * <li>A connection is closed with 1008 when its session ends, with 4000 when the
 * session's lifetime as the gateway knew it at the handshake runs out (the client
 * reconnects, and the gateway checks the session again), and with 1001 when the instance
 * shuts down (the client reconnects to another one).</li>
 * </ul>
 * Metrics: {@code orders.live.connections} (open now), {@code orders.live.frames.pushed}
 * (status frames written or queued) and {@code orders.live.connections.closed} (by close
 * {@code code}). A push is observed as {@code orders.live.push}, each frame written as
 * {@code orders.live.send}: spans of the trace of the change they report.
 */
class LiveConnections implements SmartLifecycle, DisposableBean {

	/**
	 * The session behind the connection ended (logout): log in again, do not reconnect.
	 */
	static final CloseStatus SESSION_ENDED = CloseStatus.POLICY_VIOLATION.withReason("session ended");

	/**
	 * The session's lifetime known at the handshake ran out: reconnect to have it
	 * checked.
	 */
	static final CloseStatus SESSION_CHECK = new CloseStatus(4000, "session check");

	/** The instance is shutting down: reconnect (to another instance). */
	static final CloseStatus SHUTTING_DOWN = CloseStatus.GOING_AWAY.withReason("shutting down");

	/** The user already holds the maximum of connections on this instance. */
	static final CloseStatus TOO_MANY = new CloseStatus(4429, "too many connections");

	private static final Logger log = LoggerFactory.getLogger(LiveConnections.class);

	/**
	 * Added to the session's remaining lifetime, so that the check comes after its
	 * expiry.
	 */
	private static final Duration EXPIRY_GRACE = Duration.ofSeconds(1);

	private final Map<Long, Set<LiveConnection>> byUser = new ConcurrentHashMap<>();

	private final AtomicInteger open = new AtomicInteger();

	private final int maxPerUser;

	private final ExecutorService writers = Executors
		.newThreadPerTaskExecutor(Thread.ofVirtual().name("live-send-", 0).factory());

	private final ScheduledThreadPoolExecutor expiries = new ScheduledThreadPoolExecutor(1,
			Thread.ofPlatform().name("live-expiry").daemon().factory());

	private final Counter pushed;

	private final MeterRegistry meters;

	private final ObservationRegistry observations;

	private volatile boolean accepting;

	LiveConnections(LiveProperties properties, MeterRegistry meters, ObservationRegistry observations) {
		this.maxPerUser = properties.maxConnectionsPerUser();
		this.meters = meters;
		this.observations = observations;
		this.expiries.setRemoveOnCancelPolicy(true);
		Gauge.builder("orders.live.connections", this.open, AtomicInteger::get)
			.description("Open WebSocket connections of /ws/orders on this instance")
			.register(meters);
		this.pushed = Counter.builder("orders.live.frames.pushed")
			.description("Order status frames written or queued to WebSocket connections")
			.register(meters);
	}

	/**
	 * Whether new connections are taken (not while shutting down).
	 */
	boolean accepting() {
		return this.accepting;
	}

	/**
	 * Whether the user may open another connection.
	 */
	boolean hasRoomFor(long userId) {
		Set<LiveConnection> connections = this.byUser.get(userId);
		return connections == null || connections.size() < this.maxPerUser;
	}

	/**
	 * Registers a new connection and schedules its end at the session's expiry.
	 * @param connection the connection
	 * @param sessionTtl the session's remaining lifetime when the gateway checked it
	 * @return {@code false} when the user already holds the maximum (or the instance is
	 * shutting down); the connection is then closed
	 */
	boolean add(LiveConnection connection, Duration sessionTtl) {
		boolean[] added = { false };
		this.byUser.compute(connection.userId(), (user, connections) -> {
			Set<LiveConnection> current = (connections != null) ? connections : ConcurrentHashMap.newKeySet();
			if (this.accepting && current.size() < this.maxPerUser) {
				added[0] = current.add(connection);
			}
			return current.isEmpty() ? null : current;
		});
		if (!added[0]) {
			connection.close(this.accepting ? TOO_MANY : SHUTTING_DOWN);
			return false;
		}
		this.open.incrementAndGet();
		try {
			connection.expiry(this.expiries.schedule(() -> this.writers.execute(() -> connection.close(SESSION_CHECK)),
					sessionTtl.plus(EXPIRY_GRACE).toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (RejectedExecutionException ex) {
			// destroyed meanwhile
			connection.close(SHUTTING_DOWN);
		}
		return true;
	}

	/**
	 * Forgets a closed connection.
	 * @param connection the connection
	 * @param status how it closed
	 */
	void remove(LiveConnection connection, CloseStatus status) {
		connection.cancelExpiry();
		boolean[] removed = { false };
		this.byUser.computeIfPresent(connection.userId(), (user, connections) -> {
			removed[0] = connections.remove(connection);
			return connections.isEmpty() ? null : connections;
		});
		if (removed[0]) {
			this.open.decrementAndGet();
			this.meters.counter("orders.live.connections.closed", "code", Integer.toString(status.getCode()))
				.increment();
		}
	}

	/**
	 * Sends a status frame to every connection of a user, without waiting.
	 * @param userId the user
	 * @param frame the frame
	 */
	void push(long userId, TextMessage frame) {
		Set<LiveConnection> connections = this.byUser.get(userId);
		if (connections == null) {
			return;
		}
		log.debug("Pushing to {} live connection(s) of user {}", connections.size(), userId);
		Observation push = Observation.createNotStarted("orders.live.push", this.observations)
			.contextualName("websocket push")
			.highCardinalityKeyValue("connections", Integer.toString(connections.size()));
		push.observe(() -> {
			for (LiveConnection connection : connections) {
				Observation send = Observation.createNotStarted("orders.live.send", this.observations)
					.contextualName("websocket send")
					.parentObservation(push);
				this.writers.execute(() -> send.observe(() -> {
					if (connection.send(frame)) {
						this.pushed.increment();
					}
				}));
			}
		});
	}

	/**
	 * Sends a frame to one connection, without waiting.
	 * @param connection the connection
	 * @param frame the frame
	 */
	void send(LiveConnection connection, TextMessage frame) {
		this.writers.execute(() -> connection.send(frame));
	}

	/**
	 * Closes the connections a session opened (with 1008).
	 * @param sessionReference the session's opaque reference
	 * @return how many were open
	 */
	int sessionEnded(String sessionReference) {
		List<LiveConnection> ended = new ArrayList<>();
		this.byUser.values()
			.forEach((connections) -> connections.stream()
				.filter((connection) -> connection.sessionReference().equals(sessionReference))
				.forEach(ended::add));
		ended.forEach((connection) -> this.writers.execute(() -> connection.close(SESSION_ENDED)));
		if (!ended.isEmpty()) {
			log.debug("Session ended: closing {} live connection(s)", ended.size());
		}
		return ended.size();
	}

	/**
	 * Open connections on this instance.
	 */
	int size() {
		return this.open.get();
	}

	@Override
	public void start() {
		this.accepting = true;
	}

	/**
	 * Takes no more connections and closes the open ones with 1001, waiting until their
	 * close frames are written (each at most the send time limit).
	 */
	@Override
	public void stop() {
		this.accepting = false;
		List<LiveConnection> all = this.byUser.values().stream().flatMap(Set::stream).toList();
		if (!all.isEmpty()) {
			log.info("Shutting down: closing {} live connection(s)", all.size());
		}
		try (ExecutorService closers = Executors.newVirtualThreadPerTaskExecutor()) {
			all.forEach((connection) -> closers.execute(() -> connection.close(SHUTTING_DOWN)));
		}
	}

	@Override
	public boolean isRunning() {
		return this.accepting;
	}

	@Override
	public void destroy() {
		this.expiries.shutdownNow();
	}

}
