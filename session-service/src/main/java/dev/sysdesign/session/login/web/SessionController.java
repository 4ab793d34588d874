package dev.sysdesign.session.login.web;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.sysdesign.redis.session.SessionFormat;
import dev.sysdesign.redis.session.SessionLifetime;
import dev.sysdesign.session.account.Account;
import dev.sysdesign.session.login.EndedSessions;
import dev.sysdesign.session.login.Login;
import dev.sysdesign.support.identity.ClientAddress;
import dev.sysdesign.support.identity.IdentityProblems;

/**
 * Sessions over HTTP: log in ({@code POST /api/sessions}), see and end the current
 * session, end every session of the account. Every session ended here is announced
 * ({@link EndedSessions}), so that its WebSockets close.
 */
@RestController
class SessionController {

	private final Login login;

	private final FindByIndexNameSessionRepository<? extends Session> sessions;

	private final SessionLifetime lifetime;

	private final Clock clock;

	private final EndedSessions ended;

	SessionController(Login login, FindByIndexNameSessionRepository<? extends Session> sessions,
			SessionLifetime lifetime, Clock clock, EndedSessions ended) {
		this.login = login;
		this.sessions = sessions;
		this.lifetime = lifetime;
		this.clock = clock;
		this.ended = ended;
	}

	@PostMapping("/api/sessions")
	ResponseEntity<LoginResponse> logIn(@RequestBody @Valid LoginRequest body, HttpServletRequest request) {
		Account account = this.login.authenticate(body.username(), body.password(), ClientAddress.of(request));
		HttpSession previous = request.getSession(false);
		if (previous != null) {
			// a new id at every login: a session id planted before the login is worthless
			end(previous);
		}
		HttpSession session = request.getSession(true);
		session.setAttribute(SessionFormat.USER_ID, Long.toString(account.id()));
		session.setAttribute(SessionFormat.USERNAME, account.username());
		session.setAttribute(SessionFormat.ROLES, String.join(",", account.roles()));
		session.setAttribute(SessionFormat.PRINCIPAL, Long.toString(account.id()));
		return ResponseEntity.created(URI.create("/api/sessions/current"))
			.body(new LoginResponse(session.getId(), account.username(), expiresAt(session)));
	}

	@GetMapping("/api/sessions/current")
	CurrentSession current(HttpServletRequest request) {
		HttpSession session = validSession(request);
		return new CurrentSession((String) session.getAttribute(SessionFormat.USERNAME),
				SessionFormat.roles((String) session.getAttribute(SessionFormat.ROLES)),
				Instant.ofEpochMilli(session.getCreationTime()), Instant.ofEpochMilli(session.getLastAccessedTime()),
				expiresAt(session));
	}

	@DeleteMapping("/api/sessions/current")
	ResponseEntity<Void> logOut(HttpServletRequest request) {
		end(validSession(request));
		return ResponseEntity.noContent().build();
	}

	@DeleteMapping("/api/sessions")
	ResponseEntity<Void> logOutEverywhere(HttpServletRequest request) {
		HttpSession current = validSession(request);
		String userId = (String) current.getAttribute(SessionFormat.USER_ID);
		end(current);
		for (String id : this.sessions.findByPrincipalName(userId).keySet()) {
			this.sessions.deleteById(id);
			this.ended.ended(id);
		}
		return ResponseEntity.noContent().build();
	}

	private HttpSession validSession(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null || session.getAttribute(SessionFormat.USER_ID) == null) {
			throw IdentityProblems.unauthenticated();
		}
		if (this.lifetime.pastAbsoluteLifetime(Instant.ofEpochMilli(session.getCreationTime()), this.clock.instant())) {
			end(session);
			throw IdentityProblems.unauthenticated();
		}
		return session;
	}

	private void end(HttpSession session) {
		String id = session.getId();
		session.invalidate();
		this.ended.ended(id);
	}

	private Instant expiresAt(HttpSession session) {
		return this.lifetime.expiresAt(Instant.ofEpochMilli(session.getCreationTime()),
				Instant.ofEpochMilli(session.getLastAccessedTime()),
				java.time.Duration.ofSeconds(session.getMaxInactiveInterval()));
	}

	record LoginRequest(@NotBlank @Size(max = 32) String username, @NotBlank @Size(max = 128) String password) {
	}

	record LoginResponse(String token, String username, Instant expiresAt) {
	}

	record CurrentSession(String username, List<String> roles, Instant createdAt, Instant lastAccessedAt,
			Instant expiresAt) {
	}

}
