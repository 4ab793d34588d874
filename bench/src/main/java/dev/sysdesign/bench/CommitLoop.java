package dev.sysdesign.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The database ceiling of the messaging benchmark: a plain JDBC loop of the smallest
 * useful transaction (one insert of a 200-byte row, commit) on the primary, from as many
 * threads as the pipeline has connections doing transactions. Prints commits per second.
 * <p>
 * {@code java -cp bench/target/benchmarks.jar dev.sysdesign.bench.CommitLoop --url
 * jdbc:mariadb://127.0.0.1:3307/bench --user root --password "" --threads 16 --seconds 20}
 * (the table {@code bench_commit} is created, and emptied afterwards).
 */
public final class CommitLoop {

	private static final String PAYLOAD = "x".repeat(200);

	private CommitLoop() {
	}

	public static void main(String[] args) throws Exception {
		String url = Measurement.option(args, "--url", "jdbc:mariadb://127.0.0.1:3307/bench");
		String user = Measurement.option(args, "--user", "root");
		String password = Measurement.option(args, "--password", "");
		int threads = Integer.parseInt(Measurement.option(args, "--threads", "16"));
		int seconds = Integer.parseInt(Measurement.option(args, "--seconds", "20"));
		int warmup = Integer.parseInt(Measurement.option(args, "--warmup", "5"));
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS bench_commit (id BIGINT NOT NULL AUTO_INCREMENT, "
					+ "payload VARCHAR(200) NOT NULL, created_at DATETIME(3) NOT NULL, PRIMARY KEY (id))");
		}
		Measurement.Opener<Connection> open = () -> {
			Connection connection = DriverManager.getConnection(url, user, password);
			connection.setAutoCommit(false);
			return connection;
		};
		Measurement.Operation<Connection> commit = (connection) -> {
			try (PreparedStatement insert = connection
				.prepareStatement("INSERT INTO bench_commit (payload, created_at) VALUES (?, ?)")) {
				insert.setString(1, PAYLOAD);
				insert.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
				insert.executeUpdate();
			}
			connection.commit();
		};
		Measurement.loop(threads, warmup, open, commit);
		Measurement result = Measurement.loop(threads, seconds, open, commit);
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute("TRUNCATE TABLE bench_commit");
		}
		System.out.printf("commit loop: threads=%d seconds=%d commits=%d throughput=%.1f/s p50=%.2fms p99=%.2fms%n",
				threads, seconds, result.count(), result.count() / (double) seconds, result.percentile(50),
				result.percentile(99));
	}

}
