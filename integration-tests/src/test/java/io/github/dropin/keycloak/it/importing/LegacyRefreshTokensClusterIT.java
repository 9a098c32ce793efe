package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.Cluster;
import io.github.dropin.keycloak.it.ClusterNode;
import io.github.dropin.keycloak.it.ClusterRealm;
import io.github.dropin.keycloak.it.KeycloakCluster;
import io.github.dropin.keycloak.it.PostgresServer;
import io.github.dropin.keycloak.it.legacy.LegacyBackend;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Legacy SimpleJWT refresh tokens on a two-node cluster, from a Django database on PostgreSQL (the jwt-auth backend's
 * {@code migrate}, {@code create_user}, SimpleJWT's {@code RefreshToken.for_user}, its blacklist): a token used on node
 * A is refused on node B; ten first uses of one token on both nodes at once give exactly one 200; after a restart of
 * every node (a power cut: what lives only in caches is gone) a used token and the imported blacklist are still
 * refused, while a token never used still works once.
 */
@KeycloakCluster("realms/legacy-import.json")
class LegacyRefreshTokensClusterIT {

    static final String REFRESH = "/jwt-auth/auth/token/refresh";
    static final String BLACKLISTED = "{\"detail\":\"Token is blacklisted\",\"code\":\"token_not_valid\"}";

    final Cluster cluster;
    final ClusterRealm realm;

    LegacyRefreshTokensClusterIT(Cluster cluster, ClusterRealm realm) {
        this.cluster = cluster;
        this.realm = realm;
    }

    @Test
    void eachLegacyRefreshTokenWorksOnceOnEveryNodeAndAfterARestartOfAll() throws Exception {
        Path run = Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run")).toAbsolutePath();
        Path dir = run.resolve("legacy-refresh-postgres");
        String secret = "legacy-" + UUID.randomUUID();
        JsonNode manifest;
        try (PostgresServer postgres = PostgresServer.start(run.resolve("postgres-refresh"), run.resolve("postgres-refresh.log"))) {
            manifest = LegacyBackend.buildLegacyRefresh(dir, secret, Optional.of("postgresql://" + PostgresServer.USER
                    + "@127.0.0.1:" + postgres.port() + "/" + PostgresServer.DATABASE));
        }
        assertThat(manifest.path("database").asText()).startsWith("postgresql://").endsWith("/legacy_refresh");
        for (String file : List.of("users.json", "blacklist.json")) {
            realm.admin().request().contentType("application/json").queryParam("emailVerified", "true")
                    .body(Files.readAllBytes(dir.resolve(file))).post("/dropin-import/users")
                    .then().statusCode(200).body("refused", org.hamcrest.Matchers.equalTo(0));
        }
        // Both nodes read one vault directory.
        cluster.a().putVaultSecret(realm.name(), "legacy_secret_key", secret);
        realm.admin().updateRealmAttributes(Map.of("dropin.legacyRefreshTokens.until",
                LocalDate.now(ZoneOffset.UTC).plusDays(30).toString(),
                "dropin.legacyRefreshTokens.secret", "${vault.legacy_secret_key}"));

        // Used on node A, replayed on node B.
        String replay = token(manifest, "replay");
        refresh(cluster.a(), replay).then().statusCode(200);
        refused(cluster.b(), replay);
        refused(cluster.a(), replay);

        // An app's parallel refreshes with one old token, on both nodes: exactly one gets tokens.
        String burst = token(manifest, "burst");
        List<Response> responses = Burst.responses(10, i -> refresh(cluster.next(i), burst));
        System.out.println("[dropin-it] ten first uses of one legacy refresh token on two nodes: " + Burst.tally(responses));
        assertThat(responses).extracting(Response::statusCode).as(Burst.tally(responses))
                .containsOnlyOnce(200).containsOnly(200, 401);
        assertThat(responses).filteredOn(r -> r.statusCode() == 401).extracting(Response::asString)
                .containsOnly(BLACKLISTED);
        String secondApp = realm.admin().userByUsername("second-app").orElseThrow().path("id").asText();
        assertThat(realm.admin().userSessions(secondApp)).hasSize(1);

        // A power cut of every node: the single-use store's claims are gone, the database is not.
        String restart = token(manifest, "restart");
        refresh(cluster.b(), restart).then().statusCode(200);
        cluster.killAll();
        cluster.ensureComplete();
        for (ClusterNode node : cluster.nodes()) {
            refused(node, replay);
            refused(node, burst);
            refused(node, restart);
            refused(node, token(manifest, "blacklisted"));
        }
        refresh(cluster.a(), token(manifest, "jwt_auth")).then().statusCode(200);
        refused(cluster.b(), token(manifest, "jwt_auth"));
    }

    Response refresh(ClusterNode node, String token) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh", token))
                .post(node.serverUrl() + "/realms/" + realm.name() + REFRESH);
    }

    void refused(ClusterNode node, String token) {
        Response response = refresh(node, token);
        assertThat(response.statusCode()).as(node.name() + ": " + response.asString()).isEqualTo(401);
        assertThat(response.asString()).isEqualTo(BLACKLISTED);
    }

    static String token(JsonNode manifest, String name) {
        JsonNode token = manifest.path("tokens").path(name).path("token");
        assertThat(token.isTextual()).as(name).isTrue();
        return token.asText();
    }
}
