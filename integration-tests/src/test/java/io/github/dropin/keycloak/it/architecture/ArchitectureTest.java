package io.github.dropin.keycloak.it.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pack's structure as rules (SPEC §1, docs/ARCHITECTURE.md): {@code core} depends on no other module of the pack,
 * the native sign-in ({@code authenticator-sms-otp}) and the dialects ({@code rest-endpoints}) depend on {@code core}
 * and never on each other, no package takes part in a cycle, and {@code core}, whose shading relocates Jackson (the
 * Twilio SDK's copy), never uses Jackson itself (the relocation would silently rewrite it to the SDK's copy).
 * <p>
 * Reads each module's compiled classes from its own {@code target/classes}, so the module a class belongs to is
 * where it was compiled, not a naming convention.
 */
class ArchitectureTest {

    private static final Path ROOT = Path.of(System.getProperty("dropin.repoRoot", "..")).toAbsolutePath().normalize();

    private static JavaClasses core;
    private static JavaClasses all;

    @BeforeAll
    static void importModules() {
        Path coreClasses = classes("core");
        core = new ClassFileImporter().importPath(coreClasses);
        all = new ClassFileImporter().importPaths(coreClasses, classes("authenticator-sms-otp"), classes("rest-endpoints"));
        assertThat(core).as("core classes").hasSizeGreaterThan(50);
    }

    private static Path classes(String module) {
        Path path = ROOT.resolve(module).resolve("target/classes");
        assertThat(Files.isDirectory(path)).as("%s is compiled", path).isTrue();
        return path;
    }

    @Test
    void coreDependsOnNoOtherModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.github.dropin.keycloak.authentication..",
                        "io.github.dropin.keycloak.requiredactions..",
                        "io.github.dropin.keycloak.rest..")
                .because("core is what the native sign-in and the dialects share")
                .check(core);
    }

    @Test
    void nativeSignInAndDialectsDoNotDependOnEachOther() {
        noClasses().that().resideInAnyPackage("io.github.dropin.keycloak.authentication..",
                        "io.github.dropin.keycloak.requiredactions..")
                .should().dependOnClassesThat().resideInAPackage("io.github.dropin.keycloak.rest..")
                .check(all);
        noClasses().that().resideInAPackage("io.github.dropin.keycloak.rest..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.dropin.keycloak.authentication..",
                        "io.github.dropin.keycloak.requiredactions..")
                .check(all);
    }

    @Test
    void dialectsDependOnlyOnTheFrameworkAndTheCore() {
        // A dialect is one package: it may use the framework (rest.http), the shared helpers, but no other dialect.
        slices().matching("io.github.dropin.keycloak.rest.(*)..")
                .should().notDependOnEachOther()
                .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                                "io.github.dropin.keycloak.rest.http..", "io.github.dropin.keycloak.rest.support..",
                                "io.github.dropin.keycloak.rest.auth..", "io.github.dropin.keycloak.rest.tokens.."))
                .check(all);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.github.dropin.keycloak.(**)").should().beFreeOfCycles().check(all);
    }

    @Test
    void coreNeverUsesJackson() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..")
                .because("core's shading relocates Jackson to the Twilio SDK's copy; use JsonSerialization")
                .check(core);
    }
}
