package dev.sysdesign.worker.deadletters.web;

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
import dev.sysdesign.worker.deadletters.DeadLetterNotFoundException;
import dev.sysdesign.worker.deadletters.DeadLetterReplayedException;
import dev.sysdesign.worker.deadletters.DeadLetters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

/**
 * How {@code /api/admin/dead-letters} answers what it cannot do. No RabbitMQ, no
 * database: {@link DeadLetters} is a mock.
 */
@WebMvcTest(DeadLetterController.class)
@Import(WorkerWebSlice.class)
class DeadLetterControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	DeadLetters deadLetters;

	@Test
	void replayingAnUnknownDeadLetterIs404() {
		given(this.deadLetters.replay(41)).willThrow(new DeadLetterNotFoundException(41));
		assertThat(replay(41)).hasStatus(404)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.NOT_FOUND.toString());
	}

	@Test
	void replayingTwiceIs409() {
		given(this.deadLetters.replay(42)).willThrow(new DeadLetterReplayedException(42, "it was replayed"));
		assertThat(replay(42)).hasStatus(409)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.DEAD_LETTER_REPLAYED.toString());
	}

	@Test
	void aLimitOutOfRangeIs400NamingIt() {
		var result = this.mvc.get()
			.uri("/api/admin/dead-letters?limit=0")
			.header(Headers.USER_ID, "1")
			.header(Headers.USER_ROLES, "ADMIN");
		assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.VALIDATION.toString());
		assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("limit");
		then(this.deadLetters).shouldHaveNoInteractions();
	}

	@Test
	void anIdThatIsNotANumberIs400() {
		assertThat(this.mvc.post()
			.uri("/api/admin/dead-letters/abc/replay")
			.header(Headers.USER_ID, "1")
			.header(Headers.USER_ROLES, "ADMIN")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.VALIDATION.toString());
	}

	@Test
	void withoutIdentityIs401AndWithoutTheRole403() {
		assertThat(this.mvc.get().uri("/api/admin/dead-letters")).hasStatus(401)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.UNAUTHENTICATED.toString());
		assertThat(this.mvc.get()
			.uri("/api/admin/dead-letters")
			.header(Headers.USER_ID, "7")
			.header(Headers.USER_ROLES, "USER")).hasStatus(403)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.FORBIDDEN.toString());
		then(this.deadLetters).shouldHaveNoInteractions();
	}

	private MockMvcTester.MockMvcRequestBuilder replay(long id) {
		return this.mvc.post()
			.uri("/api/admin/dead-letters/{id}/replay", id)
			.header(Headers.USER_ID, "1")
			.header(Headers.USER_ROLES, "ADMIN");
	}

}
