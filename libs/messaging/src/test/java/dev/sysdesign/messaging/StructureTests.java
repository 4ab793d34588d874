package dev.sysdesign.messaging;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The messaging library's structure, pinned: it serves every service and knows none, has
 * no web side, and takes message types from {@code libs/contracts}.
 */
class StructureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.sysdesign.messaging");

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.sysdesign.messaging.(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void neverDependsOnAService() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.sysdesign.orders..", "dev.sysdesign.worker..", "dev.sysdesign.session..",
					"dev.sysdesign.gateway..")
			.check(classes);
	}

	@Test
	void hasNoWebSide() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "org.springframework.web..")
			.check(classes);
	}

}
