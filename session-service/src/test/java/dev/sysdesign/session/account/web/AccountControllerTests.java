package dev.sysdesign.session.account.web;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.sysdesign.contracts.problems.ProblemTypes;
import dev.sysdesign.session.account.Accounts;
import dev.sysdesign.session.account.UsernameTakenException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

/**
 * How {@code POST /api/accounts} answers a refused registration.
 */
@WebMvcTest(AccountController.class)
class AccountControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	Accounts accounts;

	@Test
	void aTakenUsernameIs409() {
		given(this.accounts.register("alice", "secret-password")).willThrow(new UsernameTakenException("alice"));
		assertThat(register("{\"username\":\"alice\",\"password\":\"secret-password\"}")).hasStatus(409)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.USERNAME_TAKEN.toString());
	}

	@Test
	void aNameNotInCanonicalFormAndAShortPasswordAre400() {
		var result = register("{\"username\":\"Alice\",\"password\":\"short\"}");
		assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.VALIDATION.toString());
		assertThat(result).bodyJson()
			.extractingPath("$.errors[*].field")
			.asArray()
			.containsExactly("password", "username");
		then(this.accounts).shouldHaveNoInteractions();
	}

	private MockMvcTester.MockMvcRequestBuilder register(String body) {
		return this.mvc.post().uri("/api/accounts").contentType(MediaType.APPLICATION_JSON).content(body);
	}

}
