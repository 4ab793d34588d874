package dev.sysdesign.worker.reports.web;

import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.sysdesign.contracts.Headers;
import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.worker.WorkerWebSlice;
import dev.sysdesign.worker.reports.DailyReports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

/**
 * How {@code GET /api/reports/daily} answers a report that does not exist (yet) and a
 * date it cannot read.
 */
@WebMvcTest(ReportController.class)
@Import(WorkerWebSlice.class)
class ReportControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	DailyReports reports;

	@Test
	void aReportNotGeneratedYetIs404NamingTheDate() {
		given(this.reports.find(LocalDate.of(2026, 1, 31))).willReturn(Optional.empty());
		var result = daily("2026-01-31");
		assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.REPORT_NOT_GENERATED.toString());
		assertThat(result).bodyJson().extractingPath("$.date").isEqualTo("2026-01-31");
	}

	@Test
	void aDateThatIsNotIsoIs400NamingIt() {
		var result = daily("31/01/2026");
		assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.VALIDATION.toString());
		assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("date");
		then(this.reports).shouldHaveNoInteractions();
	}

	private MockMvcTester.MockMvcRequestBuilder daily(String date) {
		return this.mvc.get()
			.uri("/api/reports/daily?date={date}", date)
			.header(Headers.USER_ID, "1")
			.header(Headers.USER_ROLES, "ADMIN");
	}

}
