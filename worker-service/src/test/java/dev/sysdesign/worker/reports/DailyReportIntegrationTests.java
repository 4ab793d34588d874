package dev.sysdesign.worker.reports;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.sysdesign.worker.WorkerIntegrationTest;
import dev.sysdesign.worker.WorkerMessages;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily report: computed from what the worker processed for orders placed on a date
 * (a date of the distant past that no other test uses), idempotent, served to admins.
 */
@WorkerIntegrationTest
class DailyReportIntegrationTests {

	@Autowired
	WorkerMessages messages;

	static final HttpClient http = HttpClient.newHttpClient();

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	DailyReports reports;

	@Autowired
	JdbcClient jdbc;

	@Test
	void reportCountsWhatWasProcessedForTheDateAndIsIdempotent() {
		LocalDate date = LocalDate.of(1990, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(10_000));
		this.jdbc.sql("DELETE FROM order_state WHERE placed_at >= ? AND placed_at < ?")
			.params(date.atStartOfDay(), date.plusDays(1).atStartOfDay())
			.update();
		// a date drawn by an earlier run (the database outlives runs) has its report
		// already
		this.jdbc.sql("DELETE FROM daily_report WHERE report_date = ?").param(date).update();
		Instant placedAt = date.atTime(13, 30).toInstant(ZoneOffset.UTC);
		List<String> orders = new ArrayList<>();
		long[] prices = { 8900, 2900, 49900 };
		for (long price : prices) {
			orders.add(place(WorkerMessages.newUser(), 1, price, placedAt));
		}
		String declined = place(WorkerMessages.newUser(), 30, 49900, placedAt);
		long canceller = WorkerMessages.newUser();
		String cancelled = place(canceller, 2, 8900, placedAt);
		orders.add(declined);
		orders.add(cancelled);
		orders.forEach(this.messages::awaitResult);
		this.messages.publish("order.cancelled", this.messages.cancelled(cancelled, canceller, null));
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> "CANCELLED".equals(this.jdbc.sql("SELECT status FROM order_state WHERE order_id = ?")
				.param(cancelled)
				.query(String.class)
				.single()));

		assertThat(daily(date).statusCode()).isEqualTo(404);
		DailyReport first = this.reports.generate(date);
		DailyReport second = this.reports.generate(date);

		assertThat(first.orders()).isEqualTo(5);
		assertThat(first.confirmed()).isEqualTo(3);
		assertThat(first.rejected()).isEqualTo(1);
		assertThat(first.cancelled()).as("a cancelled order is never counted as confirmed").isEqualTo(1);
		assertThat(first.revenueCents()).isEqualTo(8900 + 2900 + 49900);
		assertThat(second).usingRecursiveComparison().ignoringFields("generatedAt").isEqualTo(first);
		HttpResponse<String> response = daily(date);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("date").asString()).isEqualTo(date.toString());
		assertThat(body.get("orders").asLong()).isEqualTo(5);
		assertThat(body.get("confirmed").asLong()).isEqualTo(3);
		assertThat(body.get("rejected").asLong()).isEqualTo(1);
		assertThat(body.get("cancelled").asLong()).isEqualTo(1);
		assertThat(body.get("revenueCents").asLong()).isEqualTo(61700);
		assertThat(body.get("generatedAt").asString()).endsWith("Z");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM daily_report WHERE report_date = ?")
			.param(date)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void reportIsForAdministratorsWithAValidDate() {
		assertThat(send("/api/reports/daily?date=2020-01-01", null).statusCode()).isEqualTo(401);
		assertThat(send("/api/reports/daily?date=2020-01-01", "USER").statusCode()).isEqualTo(403);
		HttpResponse<String> malformed = send("/api/reports/daily?date=2020-13-01", "ADMIN");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(send("/api/reports/daily", "ADMIN").statusCode()).isEqualTo(400);
		HttpResponse<String> future = send("/api/reports/daily?date=2999-01-01", "ADMIN");
		assertThat(future.statusCode()).isEqualTo(404);
		assertThat(future.body()).contains("report-not-generated");
	}

	private String place(long user, int quantity, long price, Instant placedAt) {
		String orderId = UUID.randomUUID().toString();
		this.messages.publish("order.placed", this.messages.placed(orderId, user, quantity, price, placedAt));
		return orderId;
	}

	private HttpResponse<String> daily(LocalDate date) {
		return send("/api/reports/daily?date=" + date, "ADMIN");
	}

	private HttpResponse<String> send(String path, String roles) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET();
		if (roles != null) {
			builder.header("X-User-Id", "1").header("X-User-Roles", roles);
		}
		try {
			return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
