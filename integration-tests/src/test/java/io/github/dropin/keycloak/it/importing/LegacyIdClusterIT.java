package io.github.dropin.keycloak.it.importing;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.Cluster;
import io.github.dropin.keycloak.it.ClusterRealm;
import io.github.dropin.keycloak.it.Jwts;
import io.github.dropin.keycloak.it.KeycloakCluster;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legacy-id allocator on a two-node cluster (SPEC §5): 50 registrations at once, split across the nodes, get 50
 * different integers from the realm's next legacy id on, each stored on its user, and the next registration continues
 * above them, whichever node takes it.
 */
@KeycloakCluster("realms/legacy-import.json")
class LegacyIdClusterIT {

    final Cluster cluster;
    final ClusterRealm realm;

    LegacyIdClusterIT(Cluster cluster, ClusterRealm realm) {
        this.cluster = cluster;
        this.realm = realm;
    }

    @Test
    void concurrentRegistrationsOnBothNodesGetDistinctConsecutiveIntegers() throws Exception {
        realm.admin().updateRealmAttributes(Map.of("dropin.users-api.legacyIds", "true", "dropin.jwt-auth.legacyIds", "true",
                "dropin.legacyIds.next", "500"));

        List<Response> responses = Burst.responses(Burst.SIZE, i -> given().contentType(ContentType.JSON)
                .body(Map.of("username", "burst-" + i, "password", "Correct-Horse-9"))
                .post(realm.on(cluster.next(i)).realmUrl() + "/users-api/api/v1/users/"));

        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < responses.size(); i++) {
            Response response = responses.get(i);
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
            long id = ((Number) response.path("id")).longValue();
            ids.add(id);
            assertThat(realm.admin().userByUsername("burst-" + i).orElseThrow().path("attributes").path("legacyId")
                    .get(0).asText()).isEqualTo(Long.toString(id));
        }
        assertThat(ids).hasSize(Burst.SIZE);
        // No number below the realm's next id, none skipped for nothing: claims that lose a race move on by one.
        assertThat(ids).allSatisfy(id -> assertThat(id).isBetween(500L, 500L + 2 * Burst.SIZE));
        long highest = ids.stream().mapToLong(Long::longValue).max().orElseThrow();

        // Afterwards, on either node, registrations continue above; jwt-auth's tokens carry the new user's number.
        for (int n = 0; n < 2; n++) {
            Response pair = given().contentType(ContentType.JSON)
                    .body(Map.of("username", "after-" + n, "password", "Correct-Horse-9"))
                    .post(realm.on(cluster.next(n)).realmUrl() + "/jwt-auth/auth/register");
            pair.then().statusCode(201);
            long id = Jwts.verifiedPayload(realm.on(cluster.next(n)), pair.path("access")).path("user_id").asLong();
            assertThat(id).isGreaterThan(highest);
            highest = id;
        }
    }
}
