package dev.sysdesign.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.FieldVisitor;
import org.springframework.asm.Opcodes;

import dev.sysdesign.contracts.problems.ProblemTypes;

import static com.tngtech.archunit.lang.conditions.ArchConditions.callMethod;
import static com.tngtech.archunit.lang.conditions.ArchConditions.never;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structure rules every module's {@code StructureTests} applies to its main classes
 * (issue 17), in one place so that the modules agree on what they mean. Each module picks
 * the rules that apply to it and adds its own.
 */
public final class ArchitectureRules {

	/** The base packages of the services; a library depends on none of them. */
	public static final List<String> SERVICES = List.of("dev.sysdesign.gateway", "dev.sysdesign.session",
			"dev.sysdesign.orders", "dev.sysdesign.worker");

	/** Types that only an HTTP adapter of a servlet service should need. */
	public static final String[] WEB_TYPES = { "org.springframework.web..", "jakarta.servlet..",
			"org.springframework.http.." };

	private static final String CONTRACTS = "dev.sysdesign.contracts..";

	private ArchitectureRules() {
	}

	/**
	 * The main classes of a module (no test classes).
	 * @param basePackage the module's base package
	 * @return its classes
	 */
	public static JavaClasses mainClasses(String basePackage) {
		return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(basePackage);
	}

	/**
	 * Every rule of a service: no cycles between its features nor its packages, features
	 * do not depend on {@code system}, no dependency on another service.
	 * @param basePackage the service's base package
	 * @return the rules
	 */
	public static CompositeArchRule serviceRules(String basePackage) {
		return CompositeArchRule.of(featuresAreFreeOfCycles(basePackage))
			.and(packagesAreFreeOfCycles())
			.and(featuresDoNotDependOnSystem(basePackage))
			.and(doesNotDependOnOtherServices(basePackage));
	}

	/**
	 * Every rule of a library: no cycles between its packages, no dependency on a
	 * service.
	 * @return the rules
	 */
	public static CompositeArchRule libraryRules() {
		return CompositeArchRule.of(packagesAreFreeOfCycles()).and(doesNotDependOnOtherServices(null));
	}

	/**
	 * The contract is used, not copied: problem types come from {@link ProblemTypes},
	 * header names are not redeclared, identity headers are handled only by their owners.
	 * @param identityOwners the packages that set or parse the identity headers
	 * @return the rules
	 */
	public static CompositeArchRule contractRules(String... identityOwners) {
		return CompositeArchRule.of(problemTypesComeFromContracts())
			.and(headerNamesAreNotRedeclared())
			.and(identityHeadersAreHandledOnlyIn(identityOwners));
	}

	/**
	 * No cycle between the features (the first-level packages below the base package,
	 * each with its subpackages).
	 * @param basePackage the module's base package
	 * @return the rule
	 */
	public static ArchRule featuresAreFreeOfCycles(String basePackage) {
		return slices().matching(basePackage + ".(*)..").namingSlices("feature $1").should().beFreeOfCycles();
	}

	/**
	 * No cycle between single packages, the base package and every subpackage each on its
	 * own: also a feature and its {@code web} adapter do not depend on each other both
	 * ways.
	 * @return the rule
	 */
	public static ArchRule packagesAreFreeOfCycles() {
		return slices().matching("dev.sysdesign.(**)").namingSlices("package $1").should().beFreeOfCycles();
	}

	/**
	 * Features do not import the {@code system} package (cross-cutting setup depends on
	 * features, never the reverse). The application class is not a feature.
	 * @param basePackage the service's base package
	 * @return the rule
	 */
	public static ArchRule featuresDoNotDependOnSystem(String basePackage) {
		return noClasses().that()
			.resideInAPackage(basePackage + "..")
			.and()
			.resideOutsideOfPackage(basePackage + ".system..")
			.and()
			.areNotAnnotatedWith("org.springframework.boot.autoconfigure.SpringBootApplication")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(basePackage + ".system..")
			.as("features do not depend on " + basePackage + ".system");
	}

	/**
	 * Only HTTP adapters use web types ({@link #WEB_TYPES}).
	 * @param basePackage the module's base package
	 * @param alsoAllowed further packages that may use them (say why where it is called)
	 * @return the rule
	 */
	public static ArchRule onlyWebAdaptersUseWebTypes(String basePackage, String... alsoAllowed) {
		String[] allowed = Stream.concat(Stream.of(basePackage + "..web.."), Stream.of(alsoAllowed))
			.toArray(String[]::new);
		return noClasses().that()
			.resideInAPackage(basePackage + "..")
			.and()
			.resideOutsideOfPackages(allowed)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(WEB_TYPES)
			.as("only " + String.join(", ", allowed) + " use web types");
	}

	/**
	 * A module does not depend on any service but its own (none for a library).
	 * @param own the module's base package, or {@code null} for a library
	 * @return the rule
	 */
	public static ArchRule doesNotDependOnOtherServices(String own) {
		String[] others = SERVICES.stream()
			.filter((service) -> !service.equals(own))
			.map((s) -> s + "..")
			.toArray(String[]::new);
		return noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage(others)
			.as("no dependency on " + String.join(", ", others));
	}

	/**
	 * Problem types come from {@link ProblemTypes} only: no class elsewhere holds a
	 * {@code /problems/...} literal (the type URIs are built at run time from names, so
	 * any such literal in a class file is a copy), nor mints a type with
	 * {@link ProblemTypes#of(String)}.
	 * @return the rule
	 */
	public static ArchRule problemTypesComeFromContracts() {
		return classes().that()
			.resideOutsideOfPackage(CONTRACTS)
			.should(holdNoStringLiteral("naming a problem type", (literal) -> literal.contains("/problems/")))
			.andShould(never(callMethod(ProblemTypes.class, "of", String.class)))
			.as("problem types come from ProblemTypes only");
	}

	/**
	 * No class outside the contracts declares a constant with the value of a header name
	 * that {@link Headers} defines (a renamed copy of the contract).
	 * @return the rule
	 */
	public static ArchRule headerNamesAreNotRedeclared() {
		Set<String> names = headerNames();
		return classes().that()
			.resideOutsideOfPackage(CONTRACTS)
			.should(declareNoConstantField("with the value of a header name of Headers", names::contains))
			.as("header names are not redeclared outside Headers");
	}

	/**
	 * The identity headers ({@link Headers#IDENTITY} and {@link Headers#USER_PREFIX}) are
	 * handled only in the packages that own the identity protocol. javac copies a
	 * {@code static final String} into the class that uses it, so a class file cannot
	 * tell {@code Headers.USER_ID} from a literal {@code "X-User-Id"}: the rule therefore
	 * names where they may appear at all, which catches a literal copy everywhere else.
	 * @param owners the packages that set or parse the identity headers (none in a
	 * service that reads its caller through service-support)
	 * @return the rule
	 */
	public static ArchRule identityHeadersAreHandledOnlyIn(String... owners) {
		Set<String> identity = new LinkedHashSet<>(Headers.IDENTITY);
		identity.add(Headers.USER_PREFIX);
		String[] outside = Stream.concat(Stream.of(CONTRACTS), Stream.of(owners)).toArray(String[]::new);
		return classes().that()
			.resideOutsideOfPackages(outside)
			.should(holdNoStringLiteral("naming an identity header", identity::contains))
			.as("identity headers are handled only in " + String.join(", ", outside));
	}

	private static Set<String> headerNames() {
		Set<String> names = new LinkedHashSet<>();
		for (Field field : Headers.class.getFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
				try {
					names.add((String) field.get(null));
				}
				catch (IllegalAccessException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		return names;
	}

	private static ArchCondition<JavaClass> holdNoStringLiteral(String description, Predicate<String> matches) {
		return new ArchCondition<>("hold no string literal " + description) {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				for (String literal : ClassFile.of(javaClass).strings()) {
					if (matches.test(literal)) {
						events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName() + " holds \"" + literal
								+ "\" " + description + " in " + javaClass.getSourceCodeLocation()));
					}
				}
			}

		};
	}

	private static ArchCondition<JavaClass> declareNoConstantField(String description, Predicate<Object> matches) {
		return new ArchCondition<>("declare no constant " + description) {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				ClassFile.of(javaClass).constants().forEach((field, value) -> {
					if (matches.test(value)) {
						events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName() + "." + field + " = \""
								+ value + "\" " + description + " in " + javaClass.getSourceCodeLocation()));
					}
				});
			}

		};
	}

	/**
	 * What ArchUnit does not model: the string constants of a class file (its constant
	 * pool, literals and inlined constants alike) and the values of its constant fields.
	 */
	private record ClassFile(List<String> strings, Map<String, Object> constants) {

		static ClassFile of(JavaClass javaClass) {
			byte[] bytes = javaClass.getSource()
				.map((source) -> read(source.getUri()))
				.orElseThrow(() -> new IllegalStateException("No class file for " + javaClass.getName()));
			ClassReader reader = new ClassReader(bytes);
			List<String> strings = new ArrayList<>();
			char[] buffer = new char[reader.getMaxStringLength()];
			for (int item = 1; item < reader.getItemCount(); item++) {
				int offset = reader.getItem(item);
				if (offset > 0 && reader.readByte(offset - 1) == 8) {
					strings.add((String) reader.readConst(item, buffer));
				}
			}
			Map<String, Object> constants = new LinkedHashMap<>();
			reader.accept(new ClassVisitor(Opcodes.ASM9) {

				@Override
				public FieldVisitor visitField(int access, String name, String descriptor, String signature,
						Object value) {
					if (value != null) {
						constants.put(name, value);
					}
					return null;
				}

			}, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
			return new ClassFile(strings, constants);
		}

		private static byte[] read(URI uri) {
			try (InputStream in = uri.toURL().openStream()) {
				return in.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
