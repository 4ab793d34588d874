package dev.sysdesign.gateway;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket server on a free port standing in for order-service's
 * {@code /ws/orders}: ready on its readiness endpoint, it greets every connection with a
 * JSON frame of the handshake's headers (names in lower case) and closes the connection
 * with the code a client asks for ({@code close:<code>}).
 */
final class FakeWebSocketService implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final AtomicInteger handshakes = new AtomicInteger();

	private final DisposableServer server;

	private FakeWebSocketService() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/readyz",
						(request, response) -> response.header("Content-Type", "application/json")
							.sendString(Mono.just("{\"status\":\"UP\"}")))
				.ws("/ws/orders", (in, out) -> {
					this.handshakes.incrementAndGet();
					Map<String, String> headers = new TreeMap<>();
					in.headers().forEach((header) -> headers.put(header.getKey().toLowerCase(), header.getValue()));
					return out.sendString(Mono.just(json.writeValueAsString(Map.of("headers", headers))))
						.then()
						.then(in.receive()
							.asString()
							.filter((text) -> text.startsWith("close:"))
							// never cancel the inbound: that closes without a status
							.concatMap(
									(text) -> out.sendClose(Integer.parseInt(text.substring(6)), "closed by service"))
							.then());
				}))
			.bindNow();
	}

	static FakeWebSocketService start() {
		return new FakeWebSocketService();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/** Handshakes that reached the service. */
	int handshakes() {
		return this.handshakes.get();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
