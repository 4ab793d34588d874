package dev.sysdesign.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small TCP proxy for fault tests: a service connects to {@link #port()} instead of the
 * real server, and the test cuts its connections ({@link #cut()}), refuses new ones
 * ({@link #disable()}) and lets them through again ({@link #enable()}). The real server
 * keeps running, so no shared service is ever left stopped for the tests after.
 * <p>
 * Thread-safe. One virtual thread per direction of each connection.
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile InetSocketAddress target;

	private volatile boolean enabled = true;

	private volatile boolean closed;

	private TcpProxy(InetSocketAddress target) throws IOException {
		this.target = target;
		this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		this.threads.execute(this::acceptLoop);
	}

	/**
	 * Starts a proxy to a server.
	 * @param host the server's host
	 * @param port the server's port
	 * @return the running proxy, listening on a free loopback port
	 */
	public static TcpProxy start(String host, int port) {
		try {
			return new TcpProxy(new InetSocketAddress(host, port));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The loopback port clients connect to.
	 * @return the port
	 */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * The host clients connect to.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return this.server.getInetAddress().getHostAddress();
	}

	/**
	 * Points new connections at another server (for example a restarted container with a
	 * new mapped port).
	 * @param host the server's host
	 * @param port the server's port
	 */
	public void retarget(String host, int port) {
		this.target = new InetSocketAddress(host, port);
	}

	/** Closes every open connection; new connections are still accepted. */
	public void cut() {
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
		this.sockets.clear();
	}

	/** Cuts every connection and refuses new ones until {@link #enable()}. */
	public void disable() {
		this.enabled = false;
		cut();
	}

	/** Accepts and forwards connections again. */
	public void enable() {
		this.enabled = true;
	}

	/**
	 * Number of client connections currently forwarded.
	 * @return the count
	 */
	public int openConnections() {
		return this.sockets.size() / 2;
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.server);
		cut();
		this.threads.shutdownNow();
	}

	private void acceptLoop() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			if (!this.enabled) {
				closeQuietly(client);
				continue;
			}
			this.threads.execute(() -> connect(client));
		}
	}

	private void connect(Socket client) {
		Socket upstream = new Socket();
		try {
			upstream.connect(this.target, 2000);
			client.setTcpNoDelay(true);
			upstream.setTcpNoDelay(true);
		}
		catch (IOException ex) {
			closeQuietly(client);
			closeQuietly(upstream);
			return;
		}
		this.sockets.add(client);
		this.sockets.add(upstream);
		if (!this.enabled) {
			cut();
			return;
		}
		this.threads.execute(() -> pump(client, upstream));
		this.threads.execute(() -> pump(upstream, client));
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// the other side or cut() closed the connection
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
			this.sockets.remove(from);
			this.sockets.remove(to);
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing on a fault path
		}
	}

}
