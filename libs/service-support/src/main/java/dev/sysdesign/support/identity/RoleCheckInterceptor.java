package dev.sysdesign.support.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link RequiresRole}: 401 without identity headers, 403 without the role.
 */
class RoleCheckInterceptor implements HandlerInterceptor {

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method)) {
			return true;
		}
		RequiresRole required = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), RequiresRole.class);
		if (required == null) {
			required = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), RequiresRole.class);
		}
		if (required == null) {
			return true;
		}
		Caller caller = Caller.of(request);
		if (caller == null) {
			throw IdentityProblems.unauthenticated();
		}
		if (!caller.hasRole(required.value())) {
			throw IdentityProblems.forbidden(required.value());
		}
		return true;
	}

}
