package dev.sysdesign.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on a free port standing in for one instance of a downstream service:
 * it answers its readiness endpoint (200 or 503, switchable) and echoes every other
 * request as JSON naming the instance, the path and the headers it received.
 */
final class FakeService implements AutoCloseable {

	private final String name;

	private final HttpServer server;

	private final AtomicInteger served = new AtomicInteger();

	private volatile boolean ready = true;

	private volatile boolean failing;

	private volatile long delayMillis;

	private volatile java.util.concurrent.CountDownLatch hold;

	private FakeService(String name) throws IOException {
		this.name = name;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	static FakeService start(String name) {
		try {
			return new FakeService(name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Makes this instance the only one of every downstream service.
	 * @param registry the test context's properties
	 */
	void standInForEveryService(org.springframework.test.context.DynamicPropertyRegistry registry) {
		for (String service : java.util.List.of("session-service", "order-service", "worker-service")) {
			registry.add("platform.discovery.services." + service + ".urls", this::url);
		}
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	String url() {
		return "http://127.0.0.1:" + port();
	}

	String instanceId() {
		return "127.0.0.1:" + port();
	}

	int served() {
		return this.served.get();
	}

	void ready(boolean ready) {
		this.ready = ready;
	}

	/** Answers application requests with 503 (readiness stays as set). */
	void failing(boolean failing) {
		this.failing = failing;
	}

	/** Delays application answers. */
	void delay(java.time.Duration delay) {
		this.delayMillis = delay.toMillis();
	}

	/** Holds application answers until {@link #release()}. */
	void hold() {
		this.hold = new java.util.concurrent.CountDownLatch(1);
	}

	/** Lets held answers go. */
	void release() {
		java.util.concurrent.CountDownLatch held = this.hold;
		this.hold = null;
		if (held != null) {
			held.countDown();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		exchange.getRequestBody().readAllBytes();
		if (exchange.getRequestURI().getPath().equals("/readyz")) {
			respond(exchange, this.ready ? 200 : 503,
					"{\"status\":\"" + (this.ready ? "UP" : "OUT_OF_SERVICE") + "\"}");
			return;
		}
		this.served.incrementAndGet();
		java.util.concurrent.CountDownLatch held = this.hold;
		if (held != null) {
			try {
				held.await(60, java.util.concurrent.TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.delayMillis > 0) {
			long delay = this.delayMillis;
			java.util.concurrent.CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.MILLISECONDS)
				.execute(() -> {
					try {
						answer(exchange);
					}
					catch (IOException ex) {
						exchange.close();
					}
				});
			return;
		}
		answer(exchange);
	}

	private void answer(HttpExchange exchange) throws IOException {
		if (this.failing) {
			respond(exchange, 503, "{\"instance\":\"" + this.name + "\",\"status\":503}");
			return;
		}
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		exchange.getRequestHeaders().forEach((key, values) -> headers.put(key.toLowerCase(), String.join(",", values)));
		StringBuilder json = new StringBuilder("{\"instance\":\"").append(this.name)
			.append("\",\"method\":\"")
			.append(exchange.getRequestMethod())
			.append("\",\"path\":\"")
			.append(exchange.getRequestURI().getRawPath())
			.append("\",\"headers\":{");
		headers.forEach((key, value) -> json.append('"')
			.append(key)
			.append("\":\"")
			.append(value.replace("\\", "\\\\").replace("\"", "\\\""))
			.append("\","));
		if (json.charAt(json.length() - 1) == ',') {
			json.setLength(json.length() - 1);
		}
		respond(exchange, 200, json.append("}}").toString());
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

}
