package io.github.dropin.keycloak.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the harness finds things, read from the system properties that the failsafe configuration in
 * {@code integration-tests/pom.xml} sets. Running an IT from an IDE needs the same properties (or a prior
 * {@code mvn verify}, which leaves the unpacked distribution and the jars in {@code target/}).
 *
 * @param runtime         {@code distribution} (default) or {@code testcontainers}
 * @param keycloakVersion the Keycloak version of the root POM; names the container image
 * @param keycloakHome    the unpacked {@code keycloak-quarkus-dist}
 * @param providersDir    the pack's jars as the reactor built them
 * @param testProvidersDir test-only provider jars (the clock of {@link TestClock}), installed only into test servers
 * @param serverLog       the file that receives the server's stdout and stderr
 * @param runDir          per-run state (the dev-file database), wiped at every start
 * @param extraOptions    options from {@code -Ddropin.it.extraOptions}, appended to {@link ServerOptions#DEFAULTS}
 */
record HarnessConfig(String runtime, String keycloakVersion, Path keycloakHome, Path providersDir,
                     Path testProvidersDir, Path serverLog, Path runDir, List<String> extraOptions) {

    static final String DISTRIBUTION = "distribution";
    static final String TESTCONTAINERS = "testcontainers";

    /** The jars a test server gets: the pack's, then the test-only ones. */
    List<Path> providerJars() {
        try {
            List<Path> jars = new ArrayList<>(DistributionServer.jarsIn(providersDir));
            jars.addAll(TestClock.jars(testProvidersDir));
            return List.copyOf(jars);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + providersDir, e);
        }
    }

    /** The options a test server gets: {@link ServerOptions}, the test clock's, then this run's extra ones. */
    List<String> options() {
        List<String> options = new ArrayList<>(ServerOptions.DEFAULTS);
        options.addAll(TestClock.OPTIONS);
        options.addAll(extraOptions);
        return List.copyOf(options);
    }

    /** Keycloak's file vault ({@code --vault-dir}): next to the run directory, kept across starts. */
    Path vaultDir() {
        return runDir.resolveSibling("keycloak-vault");
    }

    static HarnessConfig fromSystemProperties() {
        Path target = Path.of("target").toAbsolutePath();
        String version = required("dropin.it.keycloakVersion");
        return new HarnessConfig(
                System.getProperty("dropin.it.runtime", DISTRIBUTION),
                version,
                path("dropin.it.keycloakHome", target.resolve("keycloak-" + version)),
                path("dropin.it.providersDir", target.resolve("providers")),
                path("dropin.it.testProvidersDir", target.resolve("test-providers")),
                path("dropin.it.serverLog", target.resolve("keycloak-server.log")),
                path("dropin.it.runDir", target.resolve("keycloak-run")),
                split(System.getProperty("dropin.it.extraOptions", "")));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            // The version lives in the root POM only; failsafe passes it on.
            throw new IllegalStateException("System property " + property + " is not set: run the ITs with "
                    + "'mvn verify' or copy the failsafe systemPropertyVariables of integration-tests/pom.xml");
        }
        return value;
    }

    private static Path path(String property, Path fallback) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? fallback : Path.of(value).toAbsolutePath();
    }

    private static List<String> split(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
