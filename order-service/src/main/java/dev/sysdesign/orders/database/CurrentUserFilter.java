package dev.sysdesign.orders.database;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.sysdesign.support.identity.Caller;

/**
 * Makes the gateway-authenticated user the {@link CurrentUser} of the request's thread.
 */
class CurrentUserFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Caller caller = Caller.fromHeaders(request.getHeader(Caller.USER_ID_HEADER),
				request.getHeader(Caller.ROLES_HEADER));
		CurrentUser.set((caller != null) ? caller.userId() : null);
		try {
			chain.doFilter(request, response);
		}
		finally {
			CurrentUser.set(null);
		}
	}

}
