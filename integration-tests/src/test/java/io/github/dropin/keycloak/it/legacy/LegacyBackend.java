package io.github.dropin.keycloak.it.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One reference backend of {@code src/test/legacy/} (a seed's API on the real Django/DRF/SimpleJWT/Djoser or Flask,
 * Debian's packages) running as a process on a loopback port, as {@code PostgresServer} runs PostgreSQL.
 *
 * <p>{@link #start(String)} gives a fresh SQLite database in {@code target/legacy-run/<backend>-<n>/};
 * {@link #start(String, String)} uses a PostgreSQL DSN instead ({@code postgresql://user@127.0.0.1:port/db}, an empty
 * database). The backend creates its schema, listens, and writes its port to a file, which is what "ready" means here.
 * Server output goes to {@code server.log} in the run directory.
 *
 * <p>Besides HTTP: {@link #manage} runs the backend's management commands (Django's {@code manage.py}: {@code dumpdata},
 * {@code shell -c}, ...) against the same database; {@link #python} runs a snippet inside the backend (Django set up,
 * or for the Flask backend with {@code db}, {@code app}, {@code jwt} in scope); {@link #messages} reads what the
 * backend "sent" (its outbox: one JSON line per SMS or email, instead of sending). Helpers for what tests need most:
 * {@link #createUser}, {@link #drfToken}, {@link #simpleJwt}, {@link #dumpdata}.
 *
 * <p>The frameworks must be importable by {@code /usr/bin/python3} (override with {@code -Ddropin.it.python}); when
 * they are not, {@link #start} fails at once and says which Debian packages to install ({@code .ci/run} installs them).
 */
public final class LegacyBackend implements AutoCloseable {

    /** The reference backends, by dialect id. */
    public static final List<String> BACKENDS = List.of("token-auth", "phone-otp", "email-signup", "users-api", "jwt-auth");

    /** Debian's packages the references need (see {@code .ci/run}). */
    public static final String PACKAGES = "python3-django python3-djangorestframework python3-djangorestframework-simplejwt "
            + "python3-djoser python3-flask python3-jwt python3-argon2 python3-bcrypt python3-psycopg2";

    /** What the Django references sign their JWTs with (SimpleJWT's SIGNING_KEY defaults to SECRET_KEY); test only. */
    public static final String DJANGO_SECRET_KEY = "reference-backend-test-only-not-a-secret";
    /** What the Flask reference signs its JWTs with; test only. */
    public static final String FLASK_JWT_SECRET = "reference-backend-test-only-jwt-secret";

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static volatile String frameworksChecked;

    private final String backend;
    private final Path runDir;
    private final String database;
    private final Process process;
    private final int port;
    private final Thread killOnExit;

    private LegacyBackend(String backend, Path runDir, String database, Process process, int port) {
        this.backend = backend;
        this.runDir = runDir;
        this.database = database;
        this.process = process;
        this.port = port;
        this.killOnExit = new Thread(process::destroyForcibly, "legacy-" + backend + "-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** The backend on a fresh SQLite database. */
    public static LegacyBackend start(String backend) {
        Path run = newRunDir(backend);
        return start(backend, run, run.resolve("legacy.sqlite3").toString());
    }

    /** The backend on a PostgreSQL database ({@code postgresql://user[:password]@host:port/dbname}). */
    public static LegacyBackend start(String backend, String postgresDsn) {
        return start(backend, newRunDir(backend), postgresDsn);
    }

    private static LegacyBackend start(String backend, Path run, String database) {
        if (!BACKENDS.contains(backend)) {
            throw new IllegalArgumentException("No reference backend '" + backend + "'; one of " + BACKENDS);
        }
        requireFrameworks();
        long started = System.nanoTime();
        Path portFile = run.resolve("port");
        Path log = run.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(python(), legacyDir().resolve("serve.py").toString(), backend,
                "--port-file", portFile.toString())
                .directory(run.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment(builder, run, database);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + builder.command(), e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (!Files.exists(portFile) || !listening(read(portFile).strip())) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Reference backend " + backend + " exited with code "
                            + process.exitValue() + " while starting" + tail(log));
                }
                if (System.nanoTime() - deadline > 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException("Reference backend " + backend + " not ready within "
                            + READY_TIMEOUT + tail(log));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while starting " + backend, e);
        }
        int port = Integer.parseInt(read(portFile).strip());
        System.out.printf("[dropin-it] Reference backend %s started in %.1f s on 127.0.0.1:%d (%s), run dir %s%n",
                backend, (System.nanoTime() - started) / 1e9, port,
                database.startsWith("postgres") ? "PostgreSQL" : "SQLite", run);
        return new LegacyBackend(backend, run, database, process, port);
    }

    public String backend() {
        return backend;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}; the seed's paths are appended as documented ({@code /api/login/}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path runDir() {
        return runDir;
    }

    /** The database it runs on: an SQLite file path or a PostgreSQL DSN. */
    public String database() {
        return database;
    }

    /**
     * Runs {@code manage.py <backend> <args>} against this backend's database and returns its standard output.
     *
     * @throws IllegalStateException with the command's error output when it fails
     */
    public String manage(String... args) {
        List<String> command = new ArrayList<>(List.of(python(), legacyDir().resolve("manage.py").toString(), backend));
        command.addAll(List.of(args));
        return run(command, runDir, database);
    }

    /**
     * Runs Python code inside the backend: for Django with the backend's settings (Django's {@code shell -c}), for
     * Flask with {@code app}, {@code db} (a DB-API connection, committed afterwards), {@code jwt} and {@code token}.
     * Returns what it printed.
     */
    public String python(String code) {
        return manage("shell", "-c", code);
    }

    /** {@code manage.py dumpdata <labels>} (Django backends): the JSON Django's own export writes. */
    public JsonNode dumpdata(String... labels) {
        List<String> args = new ArrayList<>(List.of("dumpdata"));
        args.addAll(List.of(labels));
        try {
            return JSON.readTree(manage(args.toArray(String[]::new)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates a user with Django's {@code create_user} (Django backends), its password hashed by {@code hasher}
     * ({@code pbkdf2_sha256}, {@code pbkdf2_sha1}, {@code argon2}, {@code bcrypt_sha256}, {@code bcrypt}; Django's
     * own hashers, never a hand-written hash); {@code fields} are further model fields (email, flags ...). Returns
     * the primary key.
     */
    public long createUser(String login, String password, String hasher, Map<String, Object> fields) {
        String code = "import json\n"
                + "from django.contrib.auth import get_user_model\n"
                + "from django.contrib.auth.hashers import make_password\n"
                + "User = get_user_model()\n"
                + "fields = json.loads(" + pyString(jsonText(fields)) + ")\n"
                + "fields[User.USERNAME_FIELD] = " + pyString(login) + "\n"
                + "user = User.objects.create_user(password=None, **fields)\n"
                + "user.password = make_password(" + pyString(password) + ", hasher=" + pyString(hasher) + ")\n"
                + "user.save()\n"
                + "print(user.pk)\n";
        return Long.parseLong(lastLine(python(code)));
    }

    /** A DRF token key for the user ({@code Token.objects.get_or_create}, token-auth and users-api). */
    public String drfToken(String login) {
        return lastLine(python("from django.contrib.auth import get_user_model\n"
                + "from rest_framework.authtoken.models import Token\n"
                + "User = get_user_model()\n"
                + "user = User.objects.get(**{User.USERNAME_FIELD: " + pyString(login) + "})\n"
                + "print(Token.objects.get_or_create(user=user)[0].key)\n"));
    }

    /** A token pair SimpleJWT issues for the user ({@code RefreshToken.for_user}; jwt-auth and email-signup). */
    public TokenPair simpleJwt(String login) {
        String out = lastLine(python("import json\n"
                + "from django.contrib.auth import get_user_model\n"
                + "from rest_framework_simplejwt.tokens import RefreshToken\n"
                + "User = get_user_model()\n"
                + "refresh = RefreshToken.for_user(User.objects.get(**{User.USERNAME_FIELD: " + pyString(login) + "}))\n"
                + "print(json.dumps({'refresh': str(refresh), 'access': str(refresh.access_token)}))\n"));
        try {
            JsonNode pair = JSON.readTree(out);
            return new TokenPair(pair.path("access").asText(), pair.path("refresh").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An access and a refresh token. */
    public record TokenPair(String access, String refresh) {
    }

    /** A message the backend "sent": {@code channel} {@code sms} or {@code email}. */
    public record Message(String channel, String to, String purpose, String code, String text) {
    }

    /** Everything sent so far, oldest first. */
    public List<Message> messages() {
        Path outbox = runDir.resolve("outbox.jsonl");
        if (!Files.exists(outbox)) {
            return List.of();
        }
        List<Message> messages = new ArrayList<>();
        for (String line : read(outbox).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode m = JSON.readTree(line);
                messages.add(new Message(m.path("channel").asText(), m.path("to").asText(), m.path("purpose").asText(),
                        m.path("code").asText(), m.path("text").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("Bad outbox line " + line, e);
            }
        }
        return messages;
    }

    /** The newest message to {@code to} among those after the first {@code skip}, if any (no waiting: sent in-request). */
    public Optional<Message> lastMessageTo(String to, int skip) {
        List<Message> all = messages();
        for (int i = all.size() - 1; i >= skip; i--) {
            if (all.get(i).to().equals(to)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway.
        }
    }

    /**
     * Builds a legacy database with {@code tools/build_legacy_db.py} (see there): users under every hasher, groups,
     * staff and superusers, phone numbers, an unverified email, exported with Django's {@code dumpdata}, and a
     * Werkzeug-hashed CSV for the Flask side, into {@code out}. Returns the manifest the script writes
     * ({@code manifest.json}: every user with its password, hasher and the files written).
     *
     * @param postgresDsn empty for SQLite files under {@code out}
     */
    public static JsonNode buildLegacyDatabase(Path out, Optional<String> postgresDsn) {
        requireFrameworks();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(python(), legacyDir().resolve("tools/build_legacy_db.py").toString(),
                "--out", out.toAbsolutePath().toString()));
        postgresDsn.ifPresent(dsn -> command.addAll(List.of("--postgres", dsn)));
        run(command, out, out.resolve("unused.sqlite3").toString());
        try {
            return JSON.readTree(out.resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds the cutover tests' legacy database with DRF authtoken keys ({@code tools/build_legacy_keys.py}: Django's
     * {@code migrate}, {@code create_user}, DRF's {@code Token.objects.create}, {@code dumpdata}) into {@code out} and
     * returns its manifest ({@code keys_manifest.json}).
     */
    public static JsonNode buildLegacyKeys(Path out, Optional<String> postgresDsn) {
        requireFrameworks();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(python(), legacyDir().resolve("tools/build_legacy_keys.py").toString(),
                "--out", out.toAbsolutePath().toString()));
        postgresDsn.ifPresent(dsn -> command.addAll(List.of("--postgres", dsn)));
        run(command, out, out.resolve("unused.sqlite3").toString());
        try {
            return JSON.readTree(out.resolve("keys_manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code tools/build_legacy_refresh.py}: the jwt-auth backend's database (SQLite in {@code out}, or PostgreSQL)
     * with users and SimpleJWT refresh tokens signed with {@code secretKey}; answers its manifest.
     */
    public static JsonNode buildLegacyRefresh(Path out, String secretKey, Optional<String> postgresDsn) {
        return buildLegacyRefresh(out, "jwt-auth", secretKey, postgresDsn);
    }

    /** {@link #buildLegacyRefresh(Path, String, Optional)} of {@code backend}: jwt-auth or email-signup. */
    public static JsonNode buildLegacyRefresh(Path out, String backend, String secretKey, Optional<String> postgresDsn) {
        requireFrameworks();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(python(), legacyDir().resolve("tools/build_legacy_refresh.py").toString(),
                "--out", out.toAbsolutePath().toString(), "--secret-key", secretKey, "--backend", backend));
        postgresDsn.ifPresent(dsn -> command.addAll(List.of("--postgres", dsn)));
        run(command, out, out.resolve("unused.sqlite3").toString());
        try {
            return JSON.readTree(out.resolve("refresh_manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates (dropping it first) database {@code name} on the PostgreSQL server of {@code adminDsn} and returns its
     * DSN, for a backend that should start on an empty database.
     */
    public static String createPostgresDatabase(String adminDsn, String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain database name: " + name);
        }
        requireFrameworks();
        Path dir = newRunDir("createdb");
        run(List.of(python(), "-c", "import psycopg2, sys\n"
                + "conn = psycopg2.connect(sys.argv[1])\n"
                + "conn.autocommit = True\n"
                + "conn.cursor().execute('DROP DATABASE IF EXISTS " + name + "')\n"
                + "conn.cursor().execute('CREATE DATABASE " + name + "')\n", adminDsn), dir, adminDsn);
        return adminDsn.replaceFirst("/[^/]*$", "/" + name);
    }

    /** {@code src/test/legacy}: {@code -Ddropin.it.legacyDir} (failsafe sets it), else relative to the module. */
    public static Path legacyDir() {
        String configured = System.getProperty("dropin.it.legacyDir", "");
        if (!configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path candidate : List.of(Path.of("src/test/legacy"), Path.of("integration-tests/src/test/legacy"))) {
            if (Files.isRegularFile(candidate.resolve("serve.py"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("Cannot find src/test/legacy (set -Ddropin.it.legacyDir)");
    }

    static String python() {
        return System.getProperty("dropin.it.python", "/usr/bin/python3");
    }

    /**
     * Fails unless the interpreter imports every framework the references use, naming the packages to install.
     * Checked once per JVM.
     */
    public static void requireFrameworks() {
        String interpreter = python();
        if (interpreter.equals(frameworksChecked)) {
            return;
        }
        List<String> command = List.of(interpreter, "-c", "import django, rest_framework, rest_framework_simplejwt, "
                + "djoser, flask, jwt, argon2, bcrypt, psycopg2; print(django.get_version())");
        String problem;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                frameworksChecked = interpreter;
                return;
            }
            problem = lastLine(out);
        } catch (IOException e) {
            problem = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        throw new IllegalStateException(interpreter + " cannot run the legacy reference backends (" + problem + "). "
                + "Install Debian's packages: apt-get install -y --no-install-recommends " + PACKAGES
                + " (.ci/run does), or point -Ddropin.it.python at an interpreter that has them.");
    }

    private static Path newRunDir(String backend) {
        Path base = Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run"));
        Path dir = base.resolve(backend + "-" + RUNS.incrementAndGet()).toAbsolutePath();
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
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    private static void environment(ProcessBuilder builder, Path run, String database) {
        Map<String, String> env = builder.environment();
        env.put("LEGACY_DATABASE", database);
        env.put("LEGACY_OUTBOX", run.resolve("outbox.jsonl").toString());
        // No __pycache__ directories in the source tree.
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYTHONUNBUFFERED", "1");
        env.remove("PYTHONPATH");
        env.remove("PYTHONHOME");
        env.remove("DJANGO_SETTINGS_MODULE");
    }

    private static String run(List<String> command, Path workDir, String database) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        environment(builder, workDir, database);
        try {
            Path err = Files.createTempFile(workDir, "command-", ".err");
            builder.redirectError(err.toFile());
            Process p = builder.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("Timed out: " + abbreviated(command));
            }
            String errors = read(err);
            Files.deleteIfExists(err);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("Failed (exit " + p.exitValue() + "): " + abbreviated(command) + "\n" + errors);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + abbreviated(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + abbreviated(command), e);
        }
    }

    private static String abbreviated(List<String> command) {
        String text = String.join(" ", command);
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private static boolean listening(String port) {
        if (port.isEmpty()) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 1000);
            return true;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        if (!Files.exists(log)) {
            return "";
        }
        String[] lines = read(log).split("\n");
        return "; last lines of " + log + ":\n" + String.join("\n",
                List.of(lines).subList(Math.max(0, lines.length - 60), lines.length));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** A Python string literal for {@code value} (JSON's escapes are Python's for strings). */
    static String pyString(String value) {
        return jsonText(value);
    }

    private static String jsonText(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
