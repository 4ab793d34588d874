package dev.sysdesign.session.login.web;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.redis.session.SessionLifetime;
import dev.sysdesign.session.login.EndedSessions;
import dev.sysdesign.session.login.Login;
import dev.sysdesign.session.login.LoginProblems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

/**
 * How {@code /api/sessions} answers a failed login: each error is its problem, with its
 * status and stable type. No Redis, no database: the collaborators are mocks.
 */
@WebMvcTest(SessionController.class)
class SessionControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	Login login;

	@MockitoBean
	FindByIndexNameSessionRepository<?> sessions;

	@MockitoBean
	SessionLifetime lifetime;

	@MockitoBean
	Clock clock;

	@MockitoBean
	EndedSessions ended;

	@Test
	void badCredentialsAre401() {
		given(this.login.authenticate(anyString(), anyString(), anyString())).willThrow(LoginProblems.badCredentials());
		assertThat(logIn("{\"username\":\"alice\",\"password\":\"wrong\"}")).hasStatus(401)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.BAD_CREDENTIALS.toString());
	}

	@Test
	void aLockOutIs429WithRetryAfter() {
		given(this.login.authenticate(anyString(), anyString(), anyString()))
			.willThrow(LoginProblems.lockedOutFor(Duration.ofSeconds(90)));
		assertThat(logIn("{\"username\":\"alice\",\"password\":\"secret-password\"}")).hasStatus(429)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader("Retry-After", "90")
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.TOO_MANY_LOGIN_ATTEMPTS.toString());
	}

	@Test
	void missingFieldsAre400ListingEachField() {
		var result = logIn("{\"username\":\"\"}");
		assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.VALIDATION.toString());
		assertThat(result).bodyJson().extractingPath("$.errors[*].field").asArray().contains("username", "password");
		then(this.login).shouldHaveNoInteractions();
	}

	@Test
	void aBodyThatIsNotJsonIs400Malformed() {
		assertThat(logIn("{not json")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.MALFORMED_REQUEST.toString());
	}

	@Test
	void theCurrentSessionWithoutOneIs401() {
		assertThat(this.mvc.get().uri("/api/sessions/current")).hasStatus(401)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.UNAUTHENTICATED.toString());
	}

	private MockMvcTester.MockMvcRequestBuilder logIn(String body) {
		return this.mvc.post().uri("/api/sessions").contentType(MediaType.APPLICATION_JSON).content(body);
	}

}
