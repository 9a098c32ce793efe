package io.github.dropin.keycloak.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** When the launcher decides that Keycloak must be rebuilt. */
class DistributionServerTest {

    @TempDir
    Path dir;

    @Test
    void repackagingWithNewTimestampsDoesNotForceARebuild() throws IOException {
        Path first = jar("a/dropin-x.jar", 1_000_000L, "class bytes");
        Path second = jar("b/dropin-x.jar", 2_000_000_000L, "class bytes");
        assertThat(Files.readAllBytes(first)).isNotEqualTo(Files.readAllBytes(second));

        assertThat(DistributionServer.fingerprint(List.of(first), List.of("--db=dev-file")))
                .isEqualTo(DistributionServer.fingerprint(List.of(second), List.of("--db=dev-file")));
    }

    @Test
    void buildOptionsGoToKeycloakAsEnvironmentVariables() {
        assertThat(DistributionServer.environment(List.of("--db=dev-file", "--spi-sms-sender--provider-default=log",
                "--log-level=INFO,io.github.dropin:INFO")))
                .containsExactly(Map.entry("KC_DB", "dev-file"), Map.entry("KC_SPI_SMS_SENDER__PROVIDER_DEFAULT", "log"),
                        Map.entry("KC_LOG_LEVEL", "INFO,io.github.dropin:INFO"));
    }

    @Test
    void changedClassesOrOptionsDo() throws IOException {
        Path jar = jar("a/dropin-x.jar", 1_000_000L, "class bytes");
        Path changed = jar("b/dropin-x.jar", 1_000_000L, "other bytes");
        String base = DistributionServer.fingerprint(List.of(jar), List.of("--db=dev-file"));

        assertThat(DistributionServer.fingerprint(List.of(changed), List.of("--db=dev-file"))).isNotEqualTo(base);
        assertThat(DistributionServer.fingerprint(List.of(jar), List.of("--db=dev-mem"))).isNotEqualTo(base);
    }

    private Path jar(String name, long time, String content) throws IOException {
        Path jar = Files.createDirectories(dir.resolve(name).getParent()).resolve(Path.of(name).getFileName());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            JarEntry entry = new JarEntry("io/github/dropin/X.class");
            entry.setTime(time);
            zip.putNextEntry(entry);
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }
}
