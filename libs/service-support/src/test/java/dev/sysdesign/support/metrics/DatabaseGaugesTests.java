package dev.sysdesign.support.metrics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class DatabaseGaugesTests {

	private static final DatabaseGauge BACKLOG = DatabaseGauge.of("outbox.backlog", "unsent", null, "backlog");

	private static final DatabaseGauge BY_STATUS = DatabaseGauge.byTag("orders.by.status", "orders", "by-status",
			"status", List.of("PENDING", "CONFIRMED"));

	private final JdbcTemplate jdbc = mock(JdbcTemplate.class);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final DatabaseGauges gauges = new DatabaseGauges(this.jdbc, this.meters, List.of(BACKLOG, BY_STATUS));

	@Test
	void gaugesAreNotANumberUntilTheirFirstRefresh() {
		assertThat(this.meters.get("outbox.backlog").gauge().value()).isNaN();
		assertThat(this.meters.get("orders.by.status").tag("status", "PENDING").gauge().value()).isNaN();
	}

	@Test
	void everyTagValueIsAGaugeAndZeroWhenTheQueryDoesNotNameIt() throws SQLException {
		answer("backlog", row(null, 7));
		answer("by-status", row("CONFIRMED", 3));

		this.gauges.refresh();

		assertThat(this.meters.get("outbox.backlog").gauge().value()).isEqualTo(7);
		assertThat(this.meters.get("orders.by.status").tag("status", "CONFIRMED").gauge().value()).isEqualTo(3);
		assertThat(this.meters.get("orders.by.status").tag("status", "PENDING").gauge().value()).isZero();
	}

	@Test
	void aQueryThatFailsTurnsOnlyItsOwnGaugesToNotANumber() throws SQLException {
		answer("backlog", row(null, 7));
		answer("by-status", row("CONFIRMED", 3));
		this.gauges.refresh();
		willThrow(new QueryTimeoutException("timed out")).given(this.jdbc)
			.query(eq("by-status"), any(RowCallbackHandler.class));

		this.gauges.refresh();

		assertThat(this.meters.get("orders.by.status").tag("status", "CONFIRMED").gauge().value()).isNaN();
		assertThat(this.meters.get("outbox.backlog").gauge().value()).isEqualTo(7);
	}

	@Test
	void aTagNeedsItsValues() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> DatabaseGauge.byTag("orders.by.status", "orders", "sql", "status", List.of()));
	}

	private void answer(String sql, ResultSet row) {
		willAnswer((invocation) -> {
			invocation.getArgument(1, RowCallbackHandler.class).processRow(row);
			return null;
		}).given(this.jdbc).query(eq(sql), any(RowCallbackHandler.class));
	}

	private static ResultSet row(String tag, double value) throws SQLException {
		ResultSet row = mock(ResultSet.class);
		if (tag != null) {
			when(row.getString(1)).thenReturn(tag);
			when(row.getDouble(2)).thenReturn(value);
		}
		else {
			when(row.getDouble(1)).thenReturn(value);
		}
		return row;
	}

}
