package dev.sysdesign.support.identity;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.sysdesign.contracts.Headers;

/**
 * Parses the gateway's identity headers once per request into the request's
 * {@link Caller} ({@link Caller#of}); the argument resolver, the role check and any
 * feature read it from there. A malformed identity is an anonymous caller.
 */
public class IdentityFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Caller caller = Caller.fromHeaders(request.getHeader(Headers.USER_ID), request.getHeader(Headers.USER_ROLES));
		if (caller != null) {
			request.setAttribute(Caller.ATTRIBUTE, caller);
		}
		chain.doFilter(request, response);
	}

}
