package dev.sysdesign.contracts;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * The contracts are plain Java that every process compiles against: free of cycles, of
 * Spring and of the services.
 */
class StructureTests {

	static final JavaClasses classes = ArchitectureRules.mainClasses("dev.sysdesign.contracts");

	@Test
	void followsTheLibraryRules() {
		ArchitectureRules.libraryRules().check(classes);
	}

	@Test
	void dependsOnPlainJavaAndJsonAnnotationsOnly() {
		classes().should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", "dev.sysdesign.contracts..", "com.fasterxml.jackson.annotation..",
					"org.jspecify.annotations..")
			.check(classes);
	}

}
