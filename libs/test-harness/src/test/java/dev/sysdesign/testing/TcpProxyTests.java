package dev.sysdesign.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

class TcpProxyTests {

	private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

	private ServerSocket echoServer;

	private TcpProxy proxy;

	@BeforeEach
	void startEchoServer() throws IOException {
		this.echoServer = new ServerSocket(0);
		this.threads.execute(() -> {
			while (!this.echoServer.isClosed()) {
				try {
					Socket socket = this.echoServer.accept();
					this.threads.execute(() -> echo(socket));
				}
				catch (IOException ex) {
					return;
				}
			}
		});
		this.proxy = TcpProxy.start("127.0.0.1", this.echoServer.getLocalPort());
	}

	@AfterEach
	void stop() throws IOException {
		this.proxy.close();
		this.echoServer.close();
		this.threads.shutdownNow();
	}

	@Test
	void forwardsBothWays() throws IOException {
		try (Socket client = connect()) {
			assertThat(roundTrip(client, "ping")).isEqualTo("ping");
		}
	}

	@Test
	void cutClosesOpenConnectionsButAcceptsNewOnes() throws IOException {
		try (Socket client = connect()) {
			assertThat(roundTrip(client, "one")).isEqualTo("one");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.proxy.openConnections() == 1);
			this.proxy.cut();
			assertThat(client.getInputStream().read()).isEqualTo(-1);
		}
		try (Socket again = connect()) {
			assertThat(roundTrip(again, "two")).isEqualTo("two");
		}
	}

	@Test
	void disabledProxyRefusesUntilEnabled() throws IOException {
		this.proxy.disable();
		try (Socket refused = connect()) {
			assertThatException().isThrownBy(() -> {
				refused.getOutputStream().write("x".getBytes());
				if (refused.getInputStream().read() == -1) {
					throw new IOException("closed");
				}
			});
		}
		this.proxy.enable();
		try (Socket client = connect()) {
			assertThat(roundTrip(client, "back")).isEqualTo("back");
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket(this.proxy.host(), this.proxy.port());
		socket.setSoTimeout(5000);
		return socket;
	}

	private static String roundTrip(Socket socket, String text) throws IOException {
		socket.getOutputStream().write(text.getBytes());
		socket.getOutputStream().flush();
		byte[] buffer = new byte[text.length()];
		int read = 0;
		while (read < buffer.length) {
			int n = socket.getInputStream().read(buffer, read, buffer.length - read);
			if (n < 0) {
				break;
			}
			read += n;
		}
		return new String(buffer, 0, read);
	}

	private static void echo(Socket socket) {
		try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
			in.transferTo(out);
		}
		catch (IOException ex) {
			// client gone
		}
	}

}
