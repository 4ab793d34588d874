package dev.sysdesign.session.system;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.session.web.http.CookieHttpSessionIdResolver;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.HeaderHttpSessionIdResolver;
import org.springframework.session.web.http.HttpSessionIdResolver;

import dev.sysdesign.redis.session.SessionFormat;
import dev.sysdesign.contracts.Headers;

/**
 * Finds the session id in the {@code X-Auth-Token} header (API clients) or, without it,
 * in the {@code SESSION} cookie (the console), and hands a new session's id out in both.
 */
class TokenOrCookieSessionIdResolver implements HttpSessionIdResolver {

	private final HeaderHttpSessionIdResolver header = new HeaderHttpSessionIdResolver(Headers.AUTH_TOKEN);

	private final CookieHttpSessionIdResolver cookie = new CookieHttpSessionIdResolver();

	TokenOrCookieSessionIdResolver(CookieSerializer cookieSerializer) {
		this.cookie.setCookieSerializer(cookieSerializer);
	}

	@Override
	public List<String> resolveSessionIds(HttpServletRequest request) {
		List<String> fromHeader = this.header.resolveSessionIds(request);
		return fromHeader.isEmpty() ? this.cookie.resolveSessionIds(request) : fromHeader;
	}

	@Override
	public void setSessionId(HttpServletRequest request, HttpServletResponse response, String sessionId) {
		this.header.setSessionId(request, response, sessionId);
		this.cookie.setSessionId(request, response, sessionId);
	}

	@Override
	public void expireSession(HttpServletRequest request, HttpServletResponse response) {
		this.header.expireSession(request, response);
		this.cookie.expireSession(request, response);
	}

}
