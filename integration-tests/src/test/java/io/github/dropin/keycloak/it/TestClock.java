package io.github.dropin.keycloak.it;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What lets a test move a test server's clock instead of sleeping until something expires: the test-only provider
 * of {@code src/test-provider} (built into {@code target/test-providers/}), which sets Keycloak's {@code Time}
 * offset, and {@link #OPTIONS}, which make the embedded Infinispan caches expire entries on that clock too.
 * Both go into the servers the tests start ({@link DistributionServer}, {@link ContainerServer}, the
 * {@link Cluster}'s nodes) and nowhere else: not into {@code dropin-keycloak.jar}, not into the
 * {@code cluster-up} launcher's cluster.
 * <p>
 * Why the option: Keycloak checks tokens, sessions and action tokens against {@code Time} itself, but entries of
 * the single-use object store (one-time codes, cooldowns, limit slots) carry an Infinispan lifespan, which
 * Infinispan enforces with its own {@code TimeService} (the wall clock). {@code useKeycloakTimeService} is
 * Keycloak's switch of {@code DefaultInfinispanConnectionProviderFactory} that installs a time service reading
 * {@code Time} ({@code InfinispanUtil.setTimeServiceToKeycloakTime}), as Keycloak's own model tests configure it.
 */
final class TestClock {

    /** The clock is the JVM's, so only the master realm has the resource. */
    static final String RESOURCE = "/admin/realms/master/dropin-test-time/offset";

    static final List<String> OPTIONS = List.of("--spi-connections-infinispan--default--use-keycloak-time-service=true");

    private TestClock() {
    }

    /** The test-only provider jars in {@code dir}; there must be some. */
    static List<Path> jars(Path dir) {
        try {
            List<Path> jars = Files.isDirectory(dir) ? DistributionServer.jarsIn(dir) : List.of();
            if (jars.isEmpty()) {
                throw new IllegalStateException("No test-only provider jar in " + dir + ": the test-clock-jar execution "
                        + "of integration-tests (phase package) builds it from src/test-provider");
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    /** Sets the server's clock offset (seconds ahead of the real time) and returns what the server reports. */
    static int setOffset(KeycloakServer server, int seconds) {
        Response response = RestAssured.given()
                .auth().oauth2(server.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("offset", seconds))
                .put(server.serverUrl() + RESOURCE);
        return offsetIn(response, server);
    }

    /** The server's clock offset in seconds. */
    static int offset(KeycloakServer server) {
        return offsetIn(RestAssured.given().auth().oauth2(server.adminToken()).get(server.serverUrl() + RESOURCE), server);
    }

    private static int offsetIn(Response response, KeycloakServer server) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("The test clock of " + server.serverUrl() + " answered HTTP "
                    + response.statusCode() + " " + response.asString() + " (is the test-only provider installed?)");
        }
        Integer offset = response.path("offset");
        return offset;
    }
}
