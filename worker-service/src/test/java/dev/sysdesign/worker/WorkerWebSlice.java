package dev.sysdesign.worker;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.sysdesign.support.identity.IdentityConfiguration;
import dev.sysdesign.support.identity.IdentityFilter;

/**
 * What a {@code @WebMvcTest} of the worker needs from service-support besides the
 * controller: the caller parsed from the identity headers and the role check, as the
 * service runs them.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(IdentityConfiguration.class)
public class WorkerWebSlice {

	@Bean
	IdentityFilter identityFilter() {
		return new IdentityFilter();
	}

}
