package dev.sysdesign.session.account.web;

import java.net.URI;
import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.sysdesign.session.account.Account;
import dev.sysdesign.session.account.Accounts;
import dev.sysdesign.session.account.Usernames;

/**
 * {@code POST /api/accounts}: registration.
 */
@RestController
class AccountController {

	private final Accounts accounts;

	AccountController(Accounts accounts) {
		this.accounts = accounts;
	}

	@PostMapping("/api/accounts")
	ResponseEntity<AccountResponse> register(@RequestBody @Valid RegistrationRequest request) {
		Account account = this.accounts.register(request.username(), request.password());
		return ResponseEntity.created(URI.create("/api/accounts/" + account.id()))
			.body(new AccountResponse(account.id(), account.username(), account.createdAt()));
	}

	/**
	 * A registration.
	 *
	 * @param username 3 to 32 of {@code a-z 0-9 _ . -}, lowercase only
	 * @param password 8 to 128 characters
	 */
	record RegistrationRequest(@NotNull @Pattern(regexp = Usernames.PATTERN,
			message = "must be 3 to 32 characters of a-z, 0-9, '_', '.' or '-' (lowercase only)") String username,
			@NotNull @Size(min = 8, max = 128) String password) {
	}

	record AccountResponse(long id, String username, Instant createdAt) {
	}

}
