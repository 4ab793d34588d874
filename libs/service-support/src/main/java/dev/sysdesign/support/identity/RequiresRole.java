package dev.sysdesign.support.identity;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Requires the gateway-authenticated caller to hold a role: 401 without identity headers,
 * 403 without the role. On a class it applies to every handler method of it.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequiresRole {

	/**
	 * The required role.
	 * @return a role such as {@code ADMIN}
	 */
	String value();

}
