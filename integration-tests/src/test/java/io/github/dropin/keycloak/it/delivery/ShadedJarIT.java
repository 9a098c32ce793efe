package io.github.dropin.keycloak.it.delivery;

import io.github.dropin.keycloak.it.KeycloakLine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider jar exactly as it goes into {@code providers/}: the Twilio SDK and every library it brings
 * are inside and relocated under {@code io.github.dropin.keycloak.shaded}, so none of them can meet Keycloak's
 * own copies (Jackson, HttpClient, ...) or another provider's in Keycloak's single provider class loader; and
 * nothing registers itself as a JVM-wide service. Runs in the integration-test phase because the shaded jar only
 * exists after {@code package}; no Keycloak needed.
 */
class ShadedJarIT {

    static final List<String> FOREIGN_PACKAGES = List.of("com/twilio/", "com/fasterxml/", "org/apache/hc/",
            "org/apache/http/", "io/jsonwebtoken/", "com/auth0/", "com/google/gson/", "org/json/",
            "org/apache/commons/", "com/google/i18n/", "org/slf4j/", "com/ctc/", "org/codehaus/", "lombok/");

    static Path jar() {
        Path providers = Path.of(System.getProperty("dropin.it.providersDir", "target/providers"));
        return providers.resolve("dropin-keycloak.jar");
    }

    static List<String> entries() throws IOException {
        try (JarFile jar = new JarFile(jar().toFile())) {
            return jar.stream().map(JarEntry::getName).toList();
        }
    }

    @Test
    void noClassOutsideThePacksOwnPackages() throws IOException {
        List<String> classes = entries().stream().filter(n -> n.endsWith(".class")).toList();
        assertThat(classes).isNotEmpty().allMatch(n -> n.startsWith("io/github/dropin/keycloak/"), "in the pack's packages");
        assertThat(classes).noneMatch(n -> FOREIGN_PACKAGES.stream().anyMatch(n::startsWith));
        assertThat(classes).contains(
                "io/github/dropin/keycloak/shaded/twilio/rest/api/v2010/account/MessageCreator.class",
                "io/github/dropin/keycloak/shaded/jackson/databind/ObjectMapper.class",
                "io/github/dropin/keycloak/shaded/hc/client5/http/config/RequestConfig.class");
    }

    @Test
    void everyClassOfThePackHasItsSourceFile() throws IOException {
        String line = KeycloakLine.line();
        // A jar shaded again from the last build's jar would carry classes whose sources are gone (and old versions of
        // the others); the pack's own classes must be exactly what the modules compile now.
        Path root = Path.of(System.getProperty("dropin.repoRoot", "..")).toAbsolutePath().normalize();
        List<String> modules = List.of("core", "authenticator-sms-otp", "rest-endpoints");
        List<String> orphans = entries().stream()
                .filter(n -> n.endsWith(".class") && !n.startsWith("io/github/dropin/keycloak/shaded/"))
                .map(n -> n.substring(0, n.length() - ".class".length()).replaceAll("\\$.*", "") + ".java")
                .distinct()
                // src/main/java, or the folder of the Keycloak line being built (core/src/main/java-26.7).
                .filter(source -> modules.stream().flatMap(m -> Stream.of("src/main/java", "src/main/java-" + line)
                        .map(dir -> root.resolve(m).resolve(dir).resolve(source))).noneMatch(Files::exists))
                .toList();
        assertThat(orphans).as("classes without a source file").isEmpty();
    }

    @Test
    void serviceFilesRegisterOnlyThePacksOwnOrRelocatedTypes() throws IOException {
        List<String> services = entries().stream().filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/")).toList();
        assertThat(services).allMatch(n -> n.startsWith("META-INF/services/io.github.dropin.keycloak.")
                || n.startsWith("META-INF/services/org.keycloak."), "pack or Keycloak SPI");
        assertThat(services).noneMatch(n -> n.contains("javax.xml") || n.contains("java.net") || n.contains("org.slf4j"));
    }

    @Test
    void everyServiceImplementationIsInTheJar() throws IOException {
        // minimizeJar drops unreachable classes; a service file naming one would fail only when somebody loads it.
        try (JarFile jar = new JarFile(jar().toFile())) {
            for (JarEntry entry : jar.stream().filter(e -> e.getName().startsWith("META-INF/services/") && !e.isDirectory()).toList()) {
                String text = new String(jar.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                for (String line : text.split("\\R")) {
                    String implementation = line.replaceAll("#.*", "").strip();
                    if (!implementation.isEmpty()) {
                        assertThat(jar.getEntry(implementation.replace('.', '/') + ".class"))
                                .as("%s in %s", implementation, entry.getName()).isNotNull();
                    }
                }
            }
        }
    }

    @Test
    void noSignaturesModuleDescriptorsOrVersionedClassesSurviveShading() throws IOException {
        assertThat(entries()).noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"))
                .noneMatch(n -> n.endsWith("module-info.class"))
                .noneMatch(n -> n.startsWith("META-INF/versions/"));
    }

    /** The clock the tests move (src/test-provider) is in a jar of its own that only test servers get. */
    @Test
    void theTestOnlyClockIsNeitherInThePackNorAmongTheDeployables() throws IOException {
        String clockPackage = "io/github/dropin/keycloak/testclock/";
        Path testProviders = Path.of(System.getProperty("dropin.it.testProvidersDir", "target/test-providers"));
        List<String> clockJars;
        try (Stream<Path> jars = Files.list(testProviders)) {
            clockJars = jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
        }
        assertThat(clockJars).as("the clock's own jar").singleElement();
        try (JarFile clock = new JarFile(testProviders.resolve(clockJars.get(0)).toFile())) {
            assertThat(clock.stream().map(JarEntry::getName)).as("the package name this test looks for")
                    .anyMatch(n -> n.startsWith(clockPackage) && n.endsWith(".class"));
        }

        assertThat(entries()).noneMatch(n -> n.startsWith(clockPackage));
        try (JarFile jar = new JarFile(jar().toFile())) {
            for (JarEntry entry : jar.stream().filter(e -> e.getName().startsWith("META-INF/services/")).toList()) {
                assertThat(new String(jar.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .as(entry.getName()).doesNotContain("testclock");
            }
        }
        try (Stream<Path> deployables = Files.list(jar().getParent())) {
            assertThat(deployables.map(p -> p.getFileName().toString())).doesNotContainAnyElementsOf(clockJars);
        }
    }

    @Test
    void theJarStaysReasonablySmall() throws IOException {
        // About 4 MB with minimizeJar (16 MB without: the SDK holds every Twilio API).
        assertThat(Files.size(jar())).as("bytes").isLessThan(8L * 1024 * 1024);
    }
}
