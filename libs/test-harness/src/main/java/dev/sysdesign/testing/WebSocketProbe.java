package dev.sysdesign.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client for the tests (the JDK's {@link WebSocket}): connects with the
 * headers a test gives, collects every text frame, and records how the connection closed.
 * A handshake the server refuses is reported with its HTTP status.
 */
public final class WebSocketProbe implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<String> frames = new CopyOnWriteArrayList<>();

	private final CompletableFuture<Closed> closed = new CompletableFuture<>();

	private final boolean reading;

	private volatile WebSocket socket;

	private WebSocketProbe(boolean reading) {
		this.reading = reading;
	}

	/**
	 * Opens a connection.
	 * @param uri the {@code ws://} address
	 * @param headers header names and values, alternating
	 * @return the open connection
	 * @throws HandshakeRefused when the server answers the handshake with an HTTP status
	 */
	public static WebSocketProbe connect(URI uri, String... headers) {
		return open(uri, true, headers);
	}

	/**
	 * Opens a connection that reads nothing after the handshake, like a client whose
	 * network or page is stuck: what the server sends piles up.
	 * @param uri the {@code ws://} address
	 * @param headers header names and values, alternating
	 * @return the open connection
	 */
	public static WebSocketProbe connectWithoutReading(URI uri, String... headers) {
		return open(uri, false, headers);
	}

	/**
	 * The HTTP status with which the server refuses a handshake.
	 * @param uri the {@code ws://} address
	 * @param headers header names and values, alternating
	 * @return the status; the test fails when the handshake succeeds
	 */
	public static int refusal(URI uri, String... headers) {
		try (WebSocketProbe accepted = connect(uri, headers)) {
			throw new AssertionError("the handshake to " + uri + " was accepted");
		}
		catch (HandshakeRefused ex) {
			return ex.status();
		}
	}

	private static WebSocketProbe open(URI uri, boolean reading, String... headers) {
		WebSocketProbe probe = new WebSocketProbe(reading);
		WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
		for (int i = 0; i + 1 < headers.length; i += 2) {
			builder.header(headers[i], headers[i + 1]);
		}
		try {
			probe.socket = builder.buildAsync(uri, probe.new Listener()).get(10, TimeUnit.SECONDS);
			return probe;
		}
		catch (ExecutionException | CompletionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException refused) {
				throw new HandshakeRefused(refused.getResponse().statusCode(),
						String.valueOf(refused.getResponse().body()));
			}
			throw new IllegalStateException("Connecting to " + uri + " failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Connecting to " + uri + " timed out", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Every text frame received so far.
	 * @return the frames, in order
	 */
	public List<String> frames() {
		return List.copyOf(this.frames);
	}

	/**
	 * Every text frame received so far, as JSON.
	 * @return the frames, in order
	 */
	public List<JsonNode> json() {
		return this.frames.stream().map(json::readTree).toList();
	}

	/**
	 * Waits for a JSON frame with a field of a value.
	 * @param field the field
	 * @param value its value
	 * @param timeout how long to wait
	 * @return the first such frame
	 */
	public JsonNode awaitFrame(String field, String value, Duration timeout) {
		return awaitFrame((frame) -> value.equals(frame.path(field).asString(null)), timeout);
	}

	/**
	 * Waits for a JSON frame.
	 * @param matching what the frame looks like
	 * @param timeout how long to wait
	 * @return the first such frame
	 */
	public JsonNode awaitFrame(Predicate<JsonNode> matching, Duration timeout) {
		return Awaitility.await()
			.atMost(timeout)
			.until(() -> json().stream().filter(matching).findFirst(), Optional::isPresent)
			.orElseThrow();
	}

	/**
	 * Sends a text frame.
	 * @param text the frame
	 */
	public void send(String text) {
		this.socket.sendText(text, true).join();
	}

	/**
	 * Waits until the server closes the connection.
	 * @param timeout how long to wait
	 * @return how it closed
	 */
	public Closed awaitClose(Duration timeout) {
		try {
			return this.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("the connection is still open after " + timeout, ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("the connection failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Whether the server has closed the connection (or it failed).
	 * @return whether it has
	 */
	public boolean isClosed() {
		return this.closed.isDone();
	}

	@Override
	public void close() {
		WebSocket current = this.socket;
		if (current != null && !this.closed.isDone()) {
			current.abort();
		}
	}

	/**
	 * How the server closed a connection.
	 *
	 * @param code the close code
	 * @param reason the reason
	 */
	public record Closed(int code, String reason) {
	}

	/**
	 * A handshake the server answered with an HTTP status instead of switching protocols.
	 */
	public static final class HandshakeRefused extends RuntimeException {

		private final int status;

		HandshakeRefused(int status, String body) {
			super("handshake refused with " + status + ": " + body);
			this.status = status;
		}

		public int status() {
			return this.status;
		}

	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder partial = new StringBuilder();

		@Override
		public void onOpen(WebSocket webSocket) {
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				WebSocketProbe.this.frames.add(this.partial.toString());
				this.partial.setLength(0);
			}
			if (WebSocketProbe.this.reading) {
				webSocket.request(1);
			}
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			WebSocketProbe.this.closed.complete(new Closed(statusCode, reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			WebSocketProbe.this.closed.completeExceptionally(error);
		}

	}

}
