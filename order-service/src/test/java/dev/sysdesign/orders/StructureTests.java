package dev.sysdesign.orders;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The order-service's structure, pinned: packages are features ({@code order},
 * {@code catalog}, {@code idempotency}, {@code live}) and the infrastructure they use
 * ({@code cache}, {@code database}, {@code messaging}); {@code system} wires the service
 * and nothing depends on it; HTTP lives in {@code web} packages; what the services agree
 * on comes from {@code libs/contracts}.
 */
class StructureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.sysdesign.orders");

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.sysdesign.orders.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void nothingDependsOnSystem() {
		noClasses().that()
			.resideOutsideOfPackage("dev.sysdesign.orders.system..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.sysdesign.orders.system..")
			.check(classes);
	}

	@Test
	void infrastructureDoesNotKnowTheFeatures() {
		noClasses().that()
			.resideInAnyPackage("dev.sysdesign.orders.cache..", "dev.sysdesign.orders.database..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.sysdesign.orders.order..", "dev.sysdesign.orders.catalog..",
					"dev.sysdesign.orders.idempotency..", "dev.sysdesign.orders.live..")
			.check(classes);
	}

	@Test
	void onlyWebPackagesMapHttp() {
		noClasses().that()
			.resideOutsideOfPackage("..web..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web.bind.annotation..")
			.check(classes);
	}

	@Test
	void featuresAndTheirDomainStayOffTheServletApi() {
		noClasses().that()
			.resideInAnyPackage("dev.sysdesign.orders.order", "dev.sysdesign.orders.catalog",
					"dev.sysdesign.orders.idempotency", "dev.sysdesign.orders.cache")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "org.springframework.web..", "org.springframework.http..")
			.check(classes);
	}

	@Test
	void messagesAreTheContractsRecords() {
		// a payload is read and written as the record of libs/contracts, never as a
		// hand-built map or tree
		noClasses().should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("tools.jackson.databind.JsonNode")
			.orShould()
			.dependOnClassesThat()
			.haveFullyQualifiedName("java.util.LinkedHashMap")
			.because("message payloads are the records of dev.sysdesign.contracts.messages")
			.check(classes.that(com.tngtech.archunit.base.DescribedPredicate.describe("messaging classes",
					(javaClass) -> javaClass.getPackageName().endsWith(".messaging")
							|| javaClass.getSimpleName().endsWith("Listener"))));
	}

}
