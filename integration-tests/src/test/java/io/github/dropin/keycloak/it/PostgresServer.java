package io.github.dropin.keycloak.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL for the cluster tests and the legacy reference backends ({@code it.legacy}): Debian's
 * server binaries ({@code initdb}, {@code postgres}), a fresh data directory, TCP on one loopback port only, no Unix
 * socket, trust authentication for loopback, one database {@value #DATABASE} owned by the superuser {@value #USER}.
 * Optionally some roles must give their password ({@link PasswordRole}, scram-sha-256 over TCP) while every other role,
 * the superuser included, stays trusted: a test can show that a client really sends the password it was given.
 *
 * <p>{@code initdb} and {@code postgres} refuse to run as root (CI runs as root). Then both run as the unprivileged
 * {@code postgres} account (or {@code nobody}) through util-linux's {@code setpriv}, which changes the user and then
 * execs, so the process we hold is the postmaster itself; the data directory is handed to that account. As a normal
 * user they simply run as that user.
 *
 * <p>Durability is switched off ({@code fsync}, {@code synchronous_commit}, {@code full_page_writes}): the data lives
 * for one test run, and the tests kill Keycloak nodes, never the database; a test of an outage {@link #stop()}s it
 * (a fast shutdown, which writes everything) and {@link #restart()}s it.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "keycloak";
    static final String PASSWORD = "keycloak";
    public static final String DATABASE = "keycloak";

    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** The running postmaster (a new one after {@link #restart()}). */
    private volatile Process postmaster;
    /** How it was started, for {@link #restart()}. */
    private final List<String> command;
    private final Path bin;
    private final Path log;
    private final int port;
    private final Path dataDir;
    /** Whether the data lives in a temp directory of its own (root, target/ unreachable): deleted on close. */
    private final boolean temporary;
    private final Thread killOnExit;

    private PostgresServer(Process postmaster, List<String> command, Path bin, Path log, int port, Path dataDir,
                           boolean temporary) {
        this.postmaster = postmaster;
        this.command = command;
        this.bin = bin;
        this.log = log;
        this.port = port;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.killOnExit = new Thread(() -> this.postmaster.destroyForcibly(), "postgres-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * A login role that must give {@code password} over TCP (scram-sha-256, PostgreSQL's default password hashing);
     * its privileges are the caller's to grant.
     */
    public record PasswordRole(String name, String password) {
        public PasswordRole {
            if (!name.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("Not a plain role name: " + name);
            }
        }
    }

    /**
     * Creates a new cluster under {@code parent} (wiped first), starts it on a free loopback port and creates the
     * database. Server output goes to {@code log}.
     */
    public static PostgresServer start(Path parent, Path log) {
        return start(parent, log, List.of());
    }

    /** As {@link #start(Path, Path)}, with {@code passwordRoles} created and required to give their password. */
    public static PostgresServer start(Path parent, Path log, List<PasswordRole> passwordRoles) {
        long started = System.nanoTime();
        Path bin = binDir();
        Optional<String> runAs = isRoot() ? Optional.of(unprivilegedAccount()) : Optional.empty();
        Path home = prepareHome(parent, runAs);
        Path data = home.resolve("data");

        run(asUser(runAs, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")), log, Duration.ofMinutes(2), "initdb");
        requirePasswords(data, passwordRoles);

        int port = DistributionServer.freePort();
        List<String> command = asUser(runAs, List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                "-c", "listen_addresses=" + HOST,
                "-c", "port=" + port,
                "-c", "unix_socket_directories=",
                // Two Keycloak nodes with up to 100 pooled connections each, plus headroom for restarts.
                "-c", "max_connections=300",
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off"));
        PostgresServer server = new PostgresServer(launch(command, log), command, bin, log, port, data,
                !home.startsWith(parent));
        try {
            server.awaitReady(bin, log);
            run(List.of(bin.resolve("createdb").toString(), "-h", HOST, "-p", Integer.toString(port), "-U", USER,
                    DATABASE), log, Duration.ofSeconds(60), "createdb");
            for (PasswordRole role : passwordRoles) {
                run(List.of(bin.resolve("psql").toString(), "-h", HOST, "-p", Integer.toString(port), "-U", USER,
                        "-d", DATABASE, "-v", "ON_ERROR_STOP=1", "-q", "-c", "CREATE ROLE " + role.name()
                                + " LOGIN PASSWORD '" + role.password().replace("'", "''") + "'"),
                        log, Duration.ofSeconds(60), "CREATE ROLE " + role.name());
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        DistributionServer.report("PostgreSQL started in %.1f s on %s:%d%s, data %s", DistributionServer.seconds(started),
                HOST, port, runAs.map(u -> " as " + u).orElse(""), data);
        return server;
    }

    /**
     * Puts a scram-sha-256 line for each role before initdb's trust lines in {@code pg_hba.conf} (the first matching
     * line decides), before the server first reads it.
     */
    private static void requirePasswords(Path data, List<PasswordRole> roles) {
        if (roles.isEmpty()) {
            return;
        }
        Path hba = data.resolve("pg_hba.conf");
        StringBuilder lines = new StringBuilder("# Roles that must give their password (PostgresServer.PasswordRole)\n");
        for (PasswordRole role : roles) {
            lines.append("host all ").append(role.name()).append(" ").append(HOST).append("/32 scram-sha-256\n");
        }
        try {
            // Rewritten in place: the file keeps its owner (the account PostgreSQL runs as).
            Files.writeString(hba, lines + Files.readString(hba));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + hba, e);
        }
    }

    public int port() {
        return port;
    }

    Path dataDir() {
        return dataDir;
    }

    /** The JDBC URL Keycloak's {@code --db-url} takes. */
    String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + DATABASE;
    }

    private static Process launch(List<String> command, Path log) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        }
    }

    /**
     * Stops the server and keeps its data (an outage, for the tests of what depends on it); {@link #restart()}
     * brings it back on the same port.
     */
    public void stop() {
        shutdown();
    }

    /** Starts the stopped server again with the same data directory and port, and waits until it is ready. */
    public void restart() {
        if (postmaster.isAlive()) {
            throw new IllegalStateException("PostgreSQL is running");
        }
        postmaster = launch(command, log);
        awaitReady(bin, log);
    }

    /** Fast shutdown (SIGINT: roll back open transactions, then stop), killed if it takes too long. */
    @Override
    public void close() {
        shutdown();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: nothing left to do.
        }
        if (temporary) {
            DistributionServer.recreate(dataDir.getParent());
            dataDir.getParent().toFile().delete();
        }
    }

    private void shutdown() {
        Process postmaster = this.postmaster;
        if (postmaster.isAlive()) {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid())).start().waitFor(10, TimeUnit.SECONDS);
                if (!postmaster.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    postmaster.destroyForcibly();
                }
            } catch (IOException e) {
                postmaster.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                postmaster.destroyForcibly();
            }
        }
    }

    private void awaitReady(Path bin, Path log) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        List<String> probe = List.of(bin.resolve("pg_isready").toString(), "-q", "-h", HOST, "-p",
                Integer.toString(port), "-U", USER);
        try {
            while (true) {
                if (!postmaster.isAlive()) {
                    throw new IllegalStateException("postgres exited with code " + postmaster.exitValue()
                            + " while starting; see " + log);
                }
                Process p = new ProcessBuilder(probe).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("PostgreSQL not ready within " + READY_TIMEOUT + "; see " + log);
                }
                Thread.sleep(200);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + probe, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for PostgreSQL", e);
        }
    }

    /**
     * The server binaries: {@code -Ddropin.it.postgresBin}, else {@code pg_config --bindir}, else the newest
     * {@code /usr/lib/postgresql/<version>/bin} (Debian's layout; {@code pg_config} comes with libpq-dev, which a
     * server-only installation lacks).
     */
    static Path binDir() {
        String configured = System.getProperty("dropin.it.postgresBin", "");
        if (!configured.isBlank()) {
            return requireServerBinaries(Path.of(configured));
        }
        try {
            Process pgConfig = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(pgConfig.getInputStream().readAllBytes()).strip();
            if (pgConfig.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) {
                return Path.of(out);
            }
        } catch (IOException notInstalled) {
            // fall through to Debian's layout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(b -> majorVersion(b.getParent().getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + debian, e);
            }
        }
        throw new IllegalStateException("No PostgreSQL server binaries (initdb, postgres) found: install Debian's "
                + "'postgresql' package (.ci/run does) or set -Ddropin.it.postgresBin=<dir>");
    }

    private static Path requireServerBinaries(Path bin) {
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("postgres"))) {
            throw new IllegalStateException("No initdb/postgres in " + bin);
        }
        return bin;
    }

    private static int majorVersion(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The account PostgreSQL runs under when we are root: Debian's {@code postgres}, else {@code nobody}. */
    private static String unprivilegedAccount() {
        for (String candidate : List.of("postgres", "nobody")) {
            try {
                Process p = new ProcessBuilder("id", "-u", candidate).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("Running as root, and neither a 'postgres' nor a 'nobody' account exists to "
                + "run PostgreSQL as (initdb and postgres refuse to run as root)");
    }

    private static List<String> asUser(Optional<String> user, List<String> command) {
        if (user.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + user.get(), "--regid=" + user.get(),
                "--init-groups"));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * A fresh directory for the data directory. As root it is handed to the account PostgreSQL runs as; if that
     * account cannot reach it (a parent directory closed to others, e.g. a checkout under /root), a directory
     * under the system temp directory is used instead.
     */
    private static Path prepareHome(Path parent, Optional<String> runAs) {
        Path home = recreate(parent);
        if (runAs.isEmpty()) {
            return home;
        }
        if (handOver(home, runAs.get()) && canWrite(home, runAs.get())) {
            return home;
        }
        try {
            Path tmp = Files.createTempDirectory("dropin-postgres-");
            if (handOver(tmp, runAs.get()) && canWrite(tmp, runAs.get())) {
                DistributionServer.report("PostgreSQL: %s is not reachable for '%s', using %s", home, runAs.get(), tmp);
                return tmp;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temp directory for PostgreSQL", e);
        }
        throw new IllegalStateException("No directory that user '" + runAs.get() + "' can write for PostgreSQL");
    }

    private static boolean handOver(Path dir, String user) {
        try {
            UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner = lookup.lookupPrincipalByName(user);
            PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
            view.setOwner(owner);
            try {
                GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
                view.setGroup(group);
            } catch (IOException noSuchGroup) {
                // The owner is what PostgreSQL checks.
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean canWrite(Path dir, String user) {
        try {
            Process p = new ProcessBuilder(asUser(Optional.of(user), List.of("test", "-w", dir.toString())))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path recreate(Path dir) {
        return DistributionServer.recreate(dir);
    }

    private static void run(List<String> command, Path log, Duration timeout, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within " + timeout + "; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with exit code " + p.exitValue() + "; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + what, e);
        }
    }
}
