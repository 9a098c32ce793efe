package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.github.dropin.keycloak.it.legacy.LegacyBackend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * The legacy databases of the import tests, built once per test JVM by the frameworks themselves
 * ({@link LegacyBackend#buildLegacyDatabase}: Django's {@code create_user} and hashers, {@code dumpdata}, Werkzeug,
 * the phone-otp reference's own export), and the command-line tool {@code tools/dropin-import.py} run the way an
 * operator runs it.
 */
final class LegacyExports {

    static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static JsonNode manifest;

    private LegacyExports() {
    }

    /** The directory with {@code auth_user.json}, {@code custom_user.json}, the CSV files and {@code manifest.json}. */
    static synchronized Path dir() {
        if (dir == null) {
            Path out = Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run"))
                    .resolve("import-exports").toAbsolutePath();
            long started = System.nanoTime();
            manifest = LegacyBackend.buildLegacyDatabase(out, Optional.empty());
            System.out.printf("[dropin-it] Legacy databases built and exported in %.1f s: %s%n",
                    (System.nanoTime() - started) / 1e9, out);
            dir = out;
        }
        return dir;
    }

    static synchronized JsonNode manifest() {
        dir();
        return manifest;
    }

    /** The users of one export of the manifest ({@code auth_user}, {@code custom_user}, {@code werkzeug}, {@code phone_otp}). */
    static List<JsonNode> users(String export) {
        return StreamSupport.stream(manifest().path(export).path("users").spliterator(), false).toList();
    }

    static JsonNode user(String export, String username) {
        return users(export).stream().filter(u -> u.path("username").asText().equals(username)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + username + " in " + export));
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    /** What the tool printed and returned. */
    record Run(int exit, JsonNode summary, String log) {
    }

    /** {@code tools/dropin-import.py --url <server> --realm <realm> <args...>} as the bootstrap administrator. */
    static Run importTool(TestRealm realm, String... args) {
        return importTool(realm, dir(), args);
    }

    /** {@link #importTool(TestRealm, String...)} with its log in {@code logDir}. */
    static Run importTool(TestRealm realm, Path logDir, String... args) {
        Path root = Path.of(System.getProperty("dropin.repoRoot", "..")).toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(System.getProperty("dropin.it.python", "/usr/bin/python3"),
                root.resolve("tools/dropin-import.py").toString(), "--url", realm.serverUrl(), "--realm", realm.name(),
                "--user", KeycloakServer.ADMIN_USERNAME, "--password", KeycloakServer.ADMIN_PASSWORD));
        command.addAll(List.of(args));
        try {
            Path err = Files.createTempFile(logDir, "import-", ".log");
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("dropin-import.py did not finish: " + command);
            }
            String log = Files.readString(err);
            System.out.print(log);
            JsonNode summary = out.isBlank() ? JSON.missingNode() : JSON.readTree(out);
            return new Run(p.exitValue(), summary, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> readJsonLines(Path file) {
        try {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
