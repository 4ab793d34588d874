package dev.sysdesign.session;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import dev.sysdesign.contracts.ArchitectureRules;

/**
 * The session-service's package structure: features ({@code account}, {@code login}) with
 * their HTTP adapters in {@code web} subpackages, cross-cutting setup in {@code system}.
 */
class StructureTests {

	static final JavaClasses classes = ArchitectureRules.mainClasses("dev.sysdesign.session");

	@Test
	void followsTheServiceRules() {
		ArchitectureRules.serviceRules("dev.sysdesign.session").check(classes);
	}

	/**
	 * Web types only in {@code web} adapters and in {@code system}: it holds the one
	 * {@code @RestControllerAdvice} and the resolution of the session id from the
	 * {@code SESSION} cookie or the {@code X-Auth-Token} header, which Spring Session
	 * needs as a servlet component.
	 */
	@Test
	void onlyWebAdaptersAndSystemUseWebTypes() {
		ArchitectureRules.onlyWebAdaptersUseWebTypes("dev.sysdesign.session", "dev.sysdesign.session.system..")
			.check(classes);
	}

	/**
	 * No class reads an identity header: the caller is service-support's {@code Caller}.
	 */
	@Test
	void usesTheContractsWithoutCopies() {
		ArchitectureRules.contractRules().check(classes);
	}

}
