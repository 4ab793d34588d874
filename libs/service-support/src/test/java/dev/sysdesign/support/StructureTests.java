package dev.sysdesign.support;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import dev.sysdesign.contracts.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * service-support's package structure. Its {@code web} and {@code identity} packages are
 * the servlet adapters every service shares (filters, the problem advice, the caller's
 * resolution); the rest is usable from any layer.
 */
class StructureTests {

	static final String BASE = "dev.sysdesign.support";

	static final JavaClasses classes = ArchitectureRules.mainClasses(BASE);

	@Test
	void followsTheLibraryRules() {
		ArchitectureRules.libraryRules().and(ArchitectureRules.featuresAreFreeOfCycles(BASE)).check(classes);
	}

	/**
	 * A {@code ProblemException} is thrown from any layer "without a web type in sight";
	 * database, metrics and scheduling support serve services without a web layer too.
	 */
	@Test
	void onlyWebAndIdentityUseWebTypes() {
		noClasses().that()
			.resideInAnyPackage(BASE + ".problem..", BASE + ".database..", BASE + ".metrics..", BASE + ".scheduling..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ArchitectureRules.WEB_TYPES)
			.check(classes);
	}

	/**
	 * Only {@code identity} parses the identity headers, once per request.
	 */
	@Test
	void parsesIdentityHeadersOnlyInIdentity() {
		ArchitectureRules.contractRules(BASE + ".identity..").check(classes);
	}

}
