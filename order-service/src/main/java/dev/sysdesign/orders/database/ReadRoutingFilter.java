package dev.sysdesign.orders.database;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.sysdesign.support.identity.Caller;

/**
 * Makes the request's caller (parsed once by service-support's identity filter) the user
 * of its reads ({@link ReadRouting}).
 */
class ReadRoutingFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Caller caller = Caller.of(request);
		ReadRouting.startRequest((caller != null) ? caller.userId() : null);
		try {
			chain.doFilter(request, response);
		}
		finally {
			ReadRouting.endRequest();
		}
	}

}
