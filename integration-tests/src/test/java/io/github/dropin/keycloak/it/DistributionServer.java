package io.github.dropin.keycloak.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Keycloak from the {@code keycloak-quarkus-dist} artifact that the build unpacked into {@code target/}, run
 * the way an administrator runs it: the pack's jars in {@code providers/}, {@code kc.sh build}, then
 * {@code kc.sh start --optimized}.
 *
 * <p>The build (about 20 s) only runs when the jars' content or the options changed since the last one: a
 * fingerprint of both is kept next to the distribution. Every start gets a new dev-file database (so tests
 * start from a clean master realm), loopback-only ports picked at random (so a demo on 8080 or another
 * build can run beside it) and its output appended to the {@link ServerLog}.
 */
final class DistributionServer extends KeycloakServer {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    /** 180 s; {@code -Ddropin.it.readyTimeout=<seconds>} for a machine busy enough to need longer. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("dropin.it.readyTimeout", 180));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "127.0.0.1";
    private static final String JAR_PREFIX = "dropin-";
    private static final String PACK_JAR = "dropin-keycloak.jar";
    private static final String FINGERPRINT_FILE = ".dropin-build-fingerprint";

    private final Process process;
    private final String serverUrl;
    private final String managementUrl;
    private final Thread killOnExit;

    private DistributionServer(ServerLog log, Path vaultDir, Process process, int httpPort, int managementPort) {
        super(log, vaultDir);
        this.process = process;
        this.serverUrl = "http://" + HOST + ":" + httpPort;
        this.managementUrl = "http://" + HOST + ":" + managementPort;
        // If the test JVM ends without JUnit closing the store (killed fork, System.exit), do not leave
        // a Keycloak behind holding ports and CPU.
        this.killOnExit = new Thread(() -> destroyTree(process, true), "keycloak-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    static DistributionServer start(HarnessConfig config, ServerLog log) {
        return start(config, log, config.options());
    }

    /**
     * A server built and started with {@code serverOptions} instead of the harness's ({@link HarnessConfig#options()}:
     * {@link ServerOptions}, the test clock and extra options), plus the vault directory.
     */
    static DistributionServer start(HarnessConfig config, ServerLog log, List<String> serverOptions) {
        Path home = config.keycloakHome();
        Path kcSh = home.resolve("bin/kc.sh");
        if (!Files.isRegularFile(kcSh)) {
            throw new IllegalStateException(kcSh + " not found: the pre-integration-test phase of "
                    + "integration-tests unpacks the distribution, run 'mvn verify' once");
        }
        // Maven's unpacker may drop the executable bit; kc.sh is a POSIX sh script either way.
        kcSh.toFile().setExecutable(true);

        List<String> options = new ArrayList<>(serverOptions);
        // Stable from run to run (it is part of the build fingerprint); the files in it are the tests' own.
        options.add("--vault-dir=" + createDirectories(config.vaultDir()));
        installAndBuildIfChanged(home, config.providerJars(), options, log);

        int httpPort = freePort();
        int managementPort = freePort();
        Path runDir = recreate(config.runDir());
        // What else a previous run left in the distribution's data/ (transaction logs, temp files) goes too.
        recreate(home.resolve("data"));
        List<String> command = new ArrayList<>(List.of(kcSh.toString(), "start", "--optimized",
                "--http-host=" + HOST, "--http-port=" + httpPort, "--http-management-port=" + managementPort));

        long started = System.nanoTime();
        // The options as environment variables, like the build's: Keycloak 26.4's start --optimized refuses build-time
        // options on its command line ("Build time option: '--db' not usable with pre-built image and --optimized").
        Map<String, String> env = new java.util.LinkedHashMap<>(environment(options));
        env.putAll(Map.of(
                "KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME,
                "KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD,
                // The dev-file URL is jdbc:h2:file:${kc.db-url-path:${kc.home.dir}}/data/h2/keycloakdb; this
                // moves the database into the fresh run directory without a hand-written JDBC URL.
                "JAVA_OPTS_APPEND", "-Dkc.db-url-path=" + runDir));
        Process process = launch(command, home, log, env);
        DistributionServer server = new DistributionServer(log, config.vaultDir(), process, httpPort, managementPort);
        server.awaitReady();
        report("Keycloak started in %.1f s at %s (management %s), log %s", seconds(started), server.serverUrl,
                server.managementUrl, log.file());
        return server;
    }

    @Override
    public String serverUrl() {
        return serverUrl;
    }

    @Override
    public String managementUrl() {
        return managementUrl;
    }

    @Override
    public void close() {
        long stopping = System.nanoTime();
        destroyTree(process, false);
        Runtime.getRuntime().removeShutdownHook(killOnExit);
        report("Keycloak stopped in %.1f s", seconds(stopping));
    }

    /**
     * Installs {@code built} (the reactor's jars, plus the test-only ones for test servers) and runs {@code kc.sh
     * build}, unless the last build was made from jars with the same content and the same options and the installed
     * jars are still the ones it saw. In that case
     * the jars are left untouched: Keycloak records their timestamps at build time, and {@code start
     * --optimized} exits with "A provider JAR was updated since the last build" (code 2) when one differs,
     * even for identical content. So the marker holds the fingerprint and the installed jars' timestamps.
     */
    static void installAndBuildIfChanged(Path home, List<Path> built, List<String> options, ServerLog log) {
        Path providers = home.resolve("providers");
        Path marker = home.resolve(FINGERPRINT_FILE);
        try {
            if (built.stream().noneMatch(jar -> jar.getFileName().toString().equals(PACK_JAR))) {
                throw new IllegalStateException("No " + PACK_JAR + " among " + built
                        + ": the copy-providers execution of integration-tests puts it into target/providers");
            }
            String wanted = fingerprint(built, options);
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(wanted + timestamps(providers))) {
                report("kc.sh build skipped: providers and options unchanged since the last build");
                return;
            }
            // A failed build must not leave a marker that claims the old one is still current.
            Files.deleteIfExists(marker);
            for (Path stale : installedJars(providers)) {
                Files.delete(stale);
            }
            for (Path jar : built) {
                Files.copy(jar, providers.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            build(home, options, log);
            Files.writeString(marker, wanted + timestamps(providers));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot install the pack into " + home, e);
        }
    }

    private static List<Path> installedJars(Path providers) throws IOException {
        return jarsIn(providers).stream().filter(p -> p.getFileName().toString().startsWith(JAR_PREFIX)).toList();
    }

    /**
     * {@code --key=value} options as Keycloak's environment variables: {@code --spi-sms-sender--provider-default=log}
     * is {@code KC_SPI_SMS_SENDER__PROVIDER_DEFAULT=log}.
     */
    static Map<String, String> environment(List<String> options) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            if (!option.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("Not a --key=value option: " + option);
            }
            env.put("KC_" + option.substring(2, eq).toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
                    option.substring(eq + 1));
        }
        return env;
    }

    /** One line per jar in {@code providers/}: the state Keycloak compares against its build. */
    private static String timestamps(Path providers) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Path jar : jarsIn(providers)) {
            lines.append('\n').append(jar.getFileName()).append('=').append(Files.getLastModifiedTime(jar).toMillis());
        }
        return lines.toString();
    }

    static List<Path> jarsIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static void build(Path home, List<String> options, ServerLog log) {
        List<String> command = List.of(home.resolve("bin/kc.sh").toString(), "build");
        long started = System.nanoTime();
        // As environment variables, not arguments: Keycloak 26.4's build refuses run-time options on its command line
        // ("Run time option: '--cache' not usable with build"), while every supported line ignores run-time options
        // given by the environment. So one list of options serves both the build and the start.
        Process build = launch(command, home, log, environment(options));
        try {
            if (!build.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                destroyTree(build, true);
                throw new IllegalStateException("kc.sh build did not finish within " + BUILD_TIMEOUT + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(build, true);
            throw new IllegalStateException("Interrupted while building Keycloak", e);
        }
        if (build.exitValue() != 0) {
            throw new IllegalStateException("kc.sh build failed with exit code " + build.exitValue() + tail(log));
        }
        report("kc.sh build took %.1f s", seconds(started));
    }

    /**
     * SHA-256 over the jars' names, their entries' names and contents, and the options, in a fixed order.
     * Entry contents rather than jar bytes: Maven repackages (and the shade plugin rewrites) the jars on every
     * build with new timestamps, which must not cost a Keycloak build when no class changed.
     */
    static String fingerprint(List<Path> jars, List<String> options) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path jar : jars.stream().sorted(Comparator.comparing(p -> p.getFileName().toString())).toList()) {
                digest.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                try (JarFile file = new JarFile(jar.toFile())) {
                    for (JarEntry entry : file.stream().sorted(Comparator.comparing(JarEntry::getName)).toList()) {
                        digest.update(entry.getName().getBytes(StandardCharsets.UTF_8));
                        try (InputStream in = file.getInputStream(entry)) {
                            digest.update(in.readAllBytes());
                        }
                    }
                }
            }
            digest.update(String.join("\n", options).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read provider jars", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    static Process launch(List<String> command, Path home, ServerLog log, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()));
        builder.environment().putAll(env);
        // Run Keycloak on the JDK that runs the tests unless the caller chose one.
        builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        }
    }

    private void awaitReady() {
        awaitReady(process, managementUrl, log(), READY_TIMEOUT);
    }

    /** Polls the readiness endpoint; fails at once, with the log, if the process exits. */
    static void awaitReady(Process process, String managementUrl, ServerLog log, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                            + " while starting" + tail(log));
                }
                if (isUp(http, ready)) {
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    destroyTree(process, true);
                    throw new IllegalStateException("Keycloak not ready within " + timeout + tail(log));
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(process, true);
            throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
        }
    }

    static boolean isUp(HttpClient http, HttpRequest ready) throws InterruptedException {
        try {
            return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    /**
     * Stops kc.sh and the JVM it started. kc.sh forwards SIGTERM to Keycloak, which shuts down gracefully;
     * whatever is still alive after the timeout is killed.
     */
    static void destroyTree(Process process, boolean force) {
        List<ProcessHandle> descendants = process.descendants().toList();
        if (force) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                report("Keycloak did not stop within %s, killing it", STOP_TIMEOUT);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    static int freePort() {
        // The port is free now; Keycloak binds it a few seconds later. Another process taking it in between is
        // possible but makes the start fail loudly (address in use), not the tests pass wrongly.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    static Path recreate(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> tree = Files.walk(dir)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot recreate " + dir, e);
        }
    }

    static String tail(ServerLog log) {
        return ". Last lines of " + log.file() + ":\n" + String.join("\n", log.tail(100));
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static void report(String format, Object... args) {
        // stdout ends up in the Maven console, where the boot times are worth seeing.
        System.out.printf("[dropin-it] " + format + "%n", args);
    }
}
