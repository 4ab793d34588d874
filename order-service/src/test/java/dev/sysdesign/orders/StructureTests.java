package dev.sysdesign.orders;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import dev.sysdesign.contracts.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The order-service's structure, pinned: packages are features ({@code order},
 * {@code catalog}, {@code idempotency}, {@code live}) and the infrastructure they use
 * ({@code cache}, {@code database}, {@code messaging}); {@code system} wires the service
 * and nothing depends on it; HTTP lives in {@code web} packages; what the services agree
 * on comes from {@code libs/contracts}.
 */
class StructureTests {

	static final String BASE = "dev.sysdesign.orders";

	private static final JavaClasses classes = ArchitectureRules.mainClasses(BASE);

	@Test
	void followsTheServiceRules() {
		ArchitectureRules.serviceRules(BASE).check(classes);
	}

	/**
	 * The identity headers are read by service-support's filter; the WebSocket handshake
	 * ({@code live}) is the one place of the service that handles them itself.
	 */
	@Test
	void copiesNoContract() {
		ArchitectureRules.contractRules(BASE + ".live..").check(classes);
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
