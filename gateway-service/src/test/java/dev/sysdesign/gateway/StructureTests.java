package dev.sysdesign.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import dev.sysdesign.contracts.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The gateway's package structure. All of the gateway is reactive edge code, so "only
 * {@code web} packages use web types" does not apply; instead, the routing core stays
 * below the request path: discovery knows only instances, the balancer only discovery,
 * and rendezvous hashing only Java.
 */
class StructureTests {

	static final String BASE = "dev.sysdesign.gateway";

	static final JavaClasses classes = ArchitectureRules.mainClasses(BASE);

	@Test
	void followsTheServiceRules() {
		ArchitectureRules.serviceRules(BASE).check(classes);
	}

	/**
	 * Only authentication (user id and roles) and the edge (client address) set the
	 * identity headers.
	 */
	@Test
	void usesTheContractsWithoutCopies() {
		ArchitectureRules.contractRules(BASE + ".auth..", BASE + ".edge..").check(classes);
	}

	@Test
	void discoveryKnowsOnlyInstances() {
		noClasses().that()
			.resideInAPackage(BASE + ".discovery..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(BASE + ".balancer..", BASE + ".edge..", BASE + ".auth..", BASE + ".admin..",
					BASE + ".console..", BASE + ".problem..", BASE + ".system..", "org.springframework.web..",
					"org.springframework.cloud.gateway..")
			.check(classes);
	}

	@Test
	void balancerDoesNotDependOnTheEdge() {
		noClasses().that()
			.resideInAPackage(BASE + ".balancer..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(BASE + ".edge..", BASE + ".auth..", BASE + ".admin..", BASE + ".console..",
					BASE + ".problem..", BASE + ".system..")
			.check(classes);
	}

	@Test
	void rendezvousHashingIsPlainJava() {
		classes().that()
			.haveSimpleName("RendezvousHashing")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", BASE + ".balancer")
			.check(classes);
	}

}
