package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.Cluster;
import io.github.dropin.keycloak.it.ClusterRealm;
import io.github.dropin.keycloak.it.KeycloakCluster;
import io.github.dropin.keycloak.it.PostgresServer;
import io.github.dropin.keycloak.it.legacy.LegacyBackend;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Legacy DRF keys on a two-node cluster, from a Django database on PostgreSQL (Django's {@code migrate},
 * {@code create_user}, DRF's {@code Token.objects.create}): a key first used on node A works on node B for the same
 * session; the administrator ends it through node B and node A refuses the key; a burst of first uses of one key on
 * both nodes binds it to exactly one session.
 */
@KeycloakCluster("realms/legacy-import.json")
class LegacyKeysClusterIT {

    final Cluster cluster;
    final ClusterRealm realm;

    LegacyKeysClusterIT(Cluster cluster, ClusterRealm realm) {
        this.cluster = cluster;
        this.realm = realm;
    }

    @Test
    void aKeyFirstUsedOnOneNodeWorksOnTheOtherAndIsBoundOnce() throws Exception {
        Path run = Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run")).toAbsolutePath();
        JsonNode manifest;
        Path dir = run.resolve("legacy-keys-postgres");
        try (PostgresServer postgres = PostgresServer.start(run.resolve("postgres-keys"), run.resolve("postgres-keys.log"))) {
            manifest = LegacyBackend.buildLegacyKeys(dir, Optional.of("postgresql://" + PostgresServer.USER
                    + "@127.0.0.1:" + postgres.port() + "/" + PostgresServer.DATABASE));
        }
        assertThat(manifest.path("database").asText()).startsWith("postgresql://").endsWith("/legacy_keys");
        realm.admin().request().contentType("application/json").queryParam("emailVerified", "true")
                .body(Files.readAllBytes(dir.resolve("keys.json"))).post("/dropin-import/users")
                .then().statusCode(200);
        realm.admin().updateRealmAttributes(Map.of("dropin.legacyTokens.until",
                LocalDate.now(ZoneOffset.UTC).plusDays(30).toString()));

        String kept = key(manifest, "kept-signed-in");
        profile(cluster.a().serverUrl(), kept).then().statusCode(200);
        profile(cluster.b().serverUrl(), kept).then().statusCode(200);
        String keptId = realm.admin().userByUsername("kept-signed-in").orElseThrow().path("id").asText();
        List<JsonNode> sessions = realm.on(cluster.b()).admin().userSessions(keptId);
        assertThat(sessions).hasSize(1);
        realm.on(cluster.b()).admin().request().delete("/sessions/{id}", sessions.get(0).path("id").asText())
                .then().statusCode(204);
        Response refused = profile(cluster.a().serverUrl(), kept);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.asString()).isEqualTo("{\"detail\":\"Invalid token.\"}");

        // One key's first use on both nodes at once (an app's parallel requests after its update): every request is
        // answered, and all of them stand for one session.
        String second = key(manifest, "second-device");
        List<Response> burst = Burst.responses(20, i -> profile(cluster.next(i).serverUrl(), second));
        System.out.println("[dropin-it] first uses of one legacy key on two nodes at once: " + Burst.tally(burst));
        assertThat(burst).extracting(Response::statusCode).as(Burst.tally(burst)).containsOnly(200);
        String secondId = realm.admin().userByUsername("second-device").orElseThrow().path("id").asText();
        assertThat(realm.admin().userSessions(secondId)).hasSize(1);
        for (int i = 0; i < 4; i++) {
            profile(cluster.next(i).serverUrl(), second).then().statusCode(200);
        }
        assertThat(realm.admin().userSessions(secondId)).hasSize(1);
    }

    Response profile(String serverUrl, String key) {
        return given().header("Authorization", "Token " + key)
                .get(serverUrl + "/realms/" + realm.name() + "/token-auth/api/profile/");
    }

    static String key(JsonNode manifest, String username) {
        return StreamSupport.stream(manifest.path("users").spliterator(), false)
                .filter(u -> u.path("username").asText().equals(username)).findFirst().orElseThrow()
                .path("key").asText();
    }
}
