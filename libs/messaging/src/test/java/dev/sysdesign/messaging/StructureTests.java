package dev.sysdesign.messaging;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import dev.sysdesign.contracts.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The messaging library's structure, pinned: it serves every service and knows none, has
 * no web side, and takes message types from {@code libs/contracts}.
 */
class StructureTests {

	private static final JavaClasses classes = ArchitectureRules.mainClasses("dev.sysdesign.messaging");

	@Test
	void followsTheLibraryRules() {
		ArchitectureRules.libraryRules().check(classes);
	}

	@Test
	void copiesNoContract() {
		ArchitectureRules.contractRules().check(classes);
	}

	@Test
	void hasNoWebSide() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "org.springframework.web..")
			.check(classes);
	}

}
