package io.github.dropin.keycloak.it;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

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
    private String adminToken;
    private Instant adminTokenIssued = Instant.MIN;

    protected KeycloakServer(ServerLog log) {
        this.log = log;
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

    /** Stops the server; called once, when JUnit closes the root store at the end of the test run. */
    @Override
    public abstract void close();
}
