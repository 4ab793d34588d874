package dev.sysdesign.support.web;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;
import dev.sysdesign.contracts.Headers;

/**
 * Accepts the caller's {@code X-Request-Id} (or generates one), echoes it on the response
 * and exposes it to log lines through the {@code requestId} MDC key. At DEBUG level it
 * logs one line per request (method, path, status), an access log carrying trace ids.
 * <p>
 * A supplied id is kept only when it is 1–128 characters of {@code [A-Za-z0-9._:-]}, so
 * that a client cannot inject text into logs; otherwise a new UUID replaces it.
 */
public class RequestIdFilter extends OncePerRequestFilter {

	/** The header carrying the request id, in and out. */
	/** The MDC key and request attribute holding the id. */
	public static final String ATTRIBUTE = "requestId";

	private static final Logger log = LoggerFactory.getLogger(RequestIdFilter.class);

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String requestId = accept(request.getHeader(Headers.REQUEST_ID));
		request.setAttribute(ATTRIBUTE, requestId);
		response.setHeader(Headers.REQUEST_ID, requestId);
		MDC.put(ATTRIBUTE, requestId);
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (log.isDebugEnabled()) {
				log.debug("{} {} -> {}", request.getMethod(), request.getRequestURI(), response.getStatus());
			}
			MDC.remove(ATTRIBUTE);
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	/**
	 * Returns the given id when it is acceptable, otherwise a new random one.
	 * @param candidate the id the caller sent, may be {@code null}
	 * @return a non-null id safe to log
	 */
	public static String accept(String candidate) {
		return (candidate != null && VALID.matcher(candidate).matches()) ? candidate : UUID.randomUUID().toString();
	}

}
