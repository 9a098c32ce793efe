package io.github.dropin.keycloak.it;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The one Keycloak the integration tests of a JVM share: its URLs, its log and an admin token.
 * Started by {@link KeycloakExtension}; either the distribution unpacked by the build
 * ({@link DistributionServer}) or the official container image ({@link ContainerServer}).
 */
public abstract class KeycloakServer implements AutoCloseable {

    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    /**
     * Tokens of the master realm live 60 s; a new one after 30 s leaves every request of a test at least
     * 30 s of validity without fetching a token per request.
     */
    private static final Duration TOKEN_REUSE = Duration.ofSeconds(30);

    private final ServerLog log;
    private final Path vaultDir;
    private String adminToken;
    private Instant adminTokenIssued = Instant.MIN;
    /** The clock offset this harness last set on the server, in seconds; 0 after a (re)start. */
    private int clockOffset;

    /** Keycloak's file vault directory ({@code --vault-dir}) of this server. */
    Path vaultDir() {
        return vaultDir;
    }

    protected KeycloakServer(ServerLog log, Path vaultDir) {
        this.log = log;
        this.vaultDir = vaultDir;
    }

    /** Starts the runtime the configuration asks for and waits until it is ready. */
    static KeycloakServer start(HarnessConfig config) {
        ServerLog log = ServerLog.createFresh(config.serverLog());
        return switch (config.runtime()) {
            case HarnessConfig.DISTRIBUTION -> DistributionServer.start(config, log);
            case HarnessConfig.TESTCONTAINERS -> ContainerServer.start(config, log);
            default -> throw new IllegalArgumentException("Unknown dropin.it.runtime '" + config.runtime()
                    + "': use " + HarnessConfig.DISTRIBUTION + " or " + HarnessConfig.TESTCONTAINERS);
        };
    }

    /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
    public abstract String serverUrl();

    /** Base URL of the management interface (health, metrics). */
    public abstract String managementUrl();

    public ServerLog log() {
        return log;
    }

    /**
     * The URL at which Keycloak reaches a server that a test runs on this machine's loopback {@code port}
     * (a fake Twilio, a fake SMS gateway).
     */
    public String hostUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Stores {@code secret} in Keycloak's file vault so that {@code ${vault.<key>}} resolves to it in {@code realm}
     * (file {@code <realm>_<key>}, underscores doubled, as Keycloak's default key resolver expects). Read on every
     * use, so no restart is needed.
     */
    public void putVaultSecret(String realm, String key, String secret) {
        try {
            Files.createDirectories(vaultDir);
            Files.writeString(vaultDir.resolve(realm.replace("_", "__") + "_" + key.replace("_", "__")), secret,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the vault secret " + key, e);
        }
    }

    /** A bearer token of the master realm's bootstrap admin (client {@code admin-cli}). */
    public synchronized String adminToken() {
        if (adminToken == null || Instant.now().isAfter(adminTokenIssued.plus(TOKEN_REUSE))) {
            Instant requested = Instant.now();
            Response response = RestAssured.given()
                    .contentType(ContentType.URLENC)
                    .formParam("grant_type", "password")
                    .formParam("client_id", "admin-cli")
                    .formParam("username", ADMIN_USERNAME)
                    .formParam("password", ADMIN_PASSWORD)
                    .post(serverUrl() + "/realms/master/protocol/openid-connect/token");
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Admin login failed: HTTP " + response.statusCode() + " "
                        + response.asString());
            }
            adminToken = response.path("access_token");
            adminTokenIssued = requested;
        }
        return adminToken;
    }

    /**
     * Moves the server's clock forward by {@code by} (whole seconds), instead of waiting for a code, token, session
     * or cooldown to expire: Keycloak's {@code Time} and the expiry of its Infinispan entries (the single-use object
     * store) both follow it ({@link TestClock}). Moves add up; the extension puts the clock back after the test.
     * Tokens issued before a move age with it, so the harness's own admin token is fetched again.
     * <p>
     * What the server records while its clock is ahead keeps its future date after the reset: a cooldown or session
     * started then lasts longer by the move, and events stay the realm's newest (so the extension deletes the test
     * realm's events when it puts the clock back).
     */
    public void moveClock(Duration by) {
        setClock(Math.addExact(clockOffset, Math.toIntExact(by.toSeconds())));
    }

    /** Puts the server's clock back to the real time. */
    public void resetClock() {
        setClock(0);
    }

    /** Whether the clock is off the real time, as far as this harness moved it. */
    public boolean isClockMoved() {
        return clockOffset != 0;
    }

    /** The server's clock offset in seconds, as the server reports it. */
    public int clockOffset() {
        return TestClock.offset(this);
    }

    private synchronized void setClock(int seconds) {
        int reported = TestClock.setOffset(this, seconds);
        if (reported != seconds) {
            throw new IllegalStateException("Clock offset " + reported + " s after setting " + seconds + " s");
        }
        clockOffset = seconds;
        adminToken = null;
    }

    /** A (re)started server runs on the real time. */
    protected synchronized void clockRestarted() {
        clockOffset = 0;
        adminToken = null;
    }

    /** Stops the server; called once, when JUnit closes the root store at the end of the test run. */
    @Override
    public abstract void close();
}
