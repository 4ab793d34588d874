package dev.sysdesign.redis;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import dev.sysdesign.contracts.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * redis-support's package structure: shared by the reactive gateway and the servlet
 * services, so it uses no web type of either, and knows nothing of identity headers.
 */
class StructureTests {

	static final JavaClasses classes = ArchitectureRules.mainClasses("dev.sysdesign.redis");

	@Test
	void followsTheLibraryRules() {
		ArchitectureRules.libraryRules().and(ArchitectureRules.contractRules()).check(classes);
	}

	@Test
	void usesNoWebTypes() {
		noClasses().should().dependOnClassesThat().resideInAnyPackage(ArchitectureRules.WEB_TYPES).check(classes);
	}

}
