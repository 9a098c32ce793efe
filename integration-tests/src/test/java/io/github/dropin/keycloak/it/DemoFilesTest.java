package io.github.dropin.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * run.sh, the Dockerfile and compose.yml must describe the same server. There is no Docker engine in the
 * build to try the image, so the facts they must agree on are checked here, as text.
 */
class DemoFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("dropin.repoRoot", "..")).toAbsolutePath().normalize();
    private static final List<String> JARS = List.of(
            "distribution/target/dropin-keycloak.jar");

    @Test
    void dockerfileUsesTheKeycloakVersionOfThePom() throws IOException {
        assertThat(read("docker/Dockerfile")).contains("ARG KEYCLOAK_VERSION=" + defaultKeycloakVersion() + "\n");
    }

    /**
     * The Keycloak release the pom builds by default (its first {@code <keycloak.version>}, the one outside the
     * profiles), which run.sh and the Docker image use; a test run may target another line (-Dkeycloak.line=26.4).
     */
    static String defaultKeycloakVersion() {
        try {
            Matcher m = Pattern.compile("<keycloak\\.version>([^<]+)</keycloak\\.version>").matcher(read("pom.xml"));
            assertThat(m.find()).as("<keycloak.version> in pom.xml").isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void runShAndDockerfileInstallTheSameJarsAndConfiguration() throws IOException {
        String dockerfile = read("docker/Dockerfile");
        String runSh = read("run.sh");
        for (String jar : JARS) {
            assertThat(dockerfile).contains(jar);
            assertThat(runSh).contains(jar);
        }
        assertThat(dockerfile).contains("COPY --chown=keycloak:keycloak docker/keycloak.conf /opt/keycloak/conf/keycloak.conf");
        // run.sh: the production options, then the demo's on top (compose.yml sets those as environment variables).
        assertThat(runSh).contains("cat docker/keycloak.conf docker/demo.conf >").contains("docker/import/*.json");
        assertThat(DockerFilesTest.instructions(dockerfile)).noneMatch(instruction -> instruction.contains("demo.conf"));
        assertThat(read("docker/compose.yml")).contains("dockerfile: docker/Dockerfile")
                .contains("./import:/opt/keycloak/data/import");
    }

    @Test
    void demoRealmIsValidJsonNamedDemo() throws IOException {
        JsonNode realm = AdminApi.JSON.readTree(read("docker/import/demo-realm.json"));
        assertThat(realm.path("realm").asText()).isEqualTo("demo");
        assertThat(realm.path("enabled").asBoolean()).isTrue();
        assertThat(realm.findValuesAsText("clientId")).contains("demo-app");
    }

    private static String read(String file) throws IOException {
        return Files.readString(ROOT.resolve(file));
    }
}
