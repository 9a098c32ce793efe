package io.github.dropin.keycloak.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A second Keycloak, beside the shared one, for the few tests that need build options the shared server cannot have
 * (such as another default SMS sender). It runs like the shared one ({@code kc.sh build}, then {@code start
 * --optimized}, production mode, {@link ServerOptions} with some replaced) from its own copy of the distribution in
 * {@code target/separate/<name>/}, made from the unpacked one on first use and rebuilt only when the jars or options
 * change; its log is {@code target/separate/<name>/keycloak-server.log}. A test class starts it in
 * {@code @BeforeAll} and closes it in {@code @AfterAll}. It costs a build (on the first run) and a start, so use it
 * only where the shared server cannot show the behaviour. Distribution runtime only.
 */
public final class SeparateServer implements AutoCloseable {

    private final KeycloakServer server;

    private SeparateServer(KeycloakServer server) {
        this.server = server;
    }

    /**
     * Starts a server named {@code name} (its directory) with {@link ServerOptions#DEFAULTS}, where each option whose
     * name is a key of {@code replaced} gets that value instead (options not among the defaults are added).
     */
    public static SeparateServer start(String name, Map<String, String> replaced) {
        HarnessConfig shared = HarnessConfig.fromSystemProperties();
        if (!shared.runtime().equals(HarnessConfig.DISTRIBUTION)) {
            throw new org.opentest4j.TestAbortedException("SeparateServer runs the distribution only");
        }
        Path dir = shared.keycloakHome().getParent().resolve("separate").resolve(name);
        Path home = dir.resolve(shared.keycloakHome().getFileName());
        copyOnce(shared.keycloakHome(), home);
        HarnessConfig config = new HarnessConfig(shared.runtime(), shared.keycloakVersion(), home, shared.providersDir(),
                dir.resolve("keycloak-server.log"), dir.resolve("keycloak-run"), shared.extraOptions());
        return new SeparateServer(DistributionServer.start(config, ServerLog.createFresh(config.serverLog()),
                options(ServerOptions.all(shared.extraOptions()), replaced)));
    }

    static List<String> options(List<String> defaults, Map<String, String> replaced) {
        List<String> options = new ArrayList<>();
        List<String> pending = new ArrayList<>(replaced.keySet());
        for (String option : defaults) {
            String key = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            if (replaced.containsKey(key)) {
                options.add(key + "=" + replaced.get(key));
                pending.remove(key);
            } else {
                options.add(option);
            }
        }
        pending.forEach(key -> options.add(key + "=" + replaced.get(key)));
        return List.copyOf(options);
    }

    /** The distribution without the shared server's database, build marker or state; once. */
    private static void copyOnce(Path source, Path target) {
        if (Files.isRegularFile(target.resolve("bin/kc.sh"))) {
            return;
        }
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path from : tree.toList()) {
                Path relative = source.relativize(from);
                if (relative.startsWith("data") || relative.toString().equals(".dropin-build-fingerprint")) {
                    continue;
                }
                Path to = target.resolve(relative.toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + source + " to " + target, e);
        }
    }

    public KeycloakServer server() {
        return server;
    }

    public ServerLog log() {
        return server.log();
    }

    public SmsInbox inbox() {
        return new SmsInbox(server.log());
    }

    /** Imports a realm fixture without mail settings ({@code ${smtpPort}} is not supported here). */
    public TestRealm importRealm(String resource) {
        return RealmFixture.importFrom(server, resource, () -> {
            throw new IllegalArgumentException(resource + " needs the shared MailServer");
        }).realm();
    }

    @Override
    public void close() {
        server.close();
    }
}
