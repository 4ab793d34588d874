package dev.sysdesign.worker;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import dev.sysdesign.contracts.ArchitectureRules;

/**
 * The worker-service's package structure: jobs by feature ({@code orders},
 * {@code deadletters}, {@code reports}, {@code payment}), their admin endpoints in
 * {@code web} subpackages.
 */
class StructureTests {

	static final String BASE = "dev.sysdesign.worker";

	static final JavaClasses classes = ArchitectureRules.mainClasses(BASE);

	@Test
	void followsTheServiceRules() {
		ArchitectureRules.serviceRules(BASE).check(classes);
	}

	/**
	 * Web types only in {@code web} adapters and in {@code system}, which holds the one
	 * {@code @RestControllerAdvice}; the jobs themselves have no web layer.
	 */
	@Test
	void jobsUseNoWebTypes() {
		ArchitectureRules.onlyWebAdaptersUseWebTypes(BASE, BASE + ".system..").check(classes);
	}

	@Test
	void readsNoIdentityHeaderAndCopiesNoContract() {
		ArchitectureRules.contractRules().check(classes);
	}

}
