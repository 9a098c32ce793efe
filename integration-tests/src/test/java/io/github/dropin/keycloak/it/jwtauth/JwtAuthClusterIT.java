package io.github.dropin.keycloak.it.jwtauth;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.Cluster;
import io.github.dropin.keycloak.it.ClusterNode;
import io.github.dropin.keycloak.it.ClusterRealm;
import io.github.dropin.keycloak.it.KeycloakCluster;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.GETUSER;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.BLACKLISTED;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.NOT_VALID;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.VERIFY_BLACKLISTED;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.PASSWORD;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.REFRESH;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.REGISTER;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.TOKEN;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.VERIFY;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.newUsername;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Dialect {@code jwt-auth} on a two-node cluster (SPEC §2.4, §4.5): tokens issued by one node work on the other,
 * refresh rotation holds across nodes (a refresh token used on one node is dead on both, also when 50 requests use it
 * at once), an administrator's sign-out on one node ends the tokens on the other, and 50 parallel registrations of
 * one username split across the nodes make one account.
 */
@KeycloakCluster("realms/jwt-auth.json")
class JwtAuthClusterIT {

    final Cluster cluster;
    final ClusterRealm realm;

    JwtAuthClusterIT(Cluster cluster, ClusterRealm realm) {
        this.cluster = cluster;
        this.realm = realm;
    }

    Response post(ClusterNode node, String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.on(node).realmUrl() + path);
    }

    Response getUser(ClusterNode node, String access) {
        return given().header("Authorization", "Bearer " + access).get(realm.on(node).realmUrl() + GETUSER);
    }

    /** A user created through the admin API and signed in through {@code node}: {id, username, refresh, access}. */
    Map<String, String> signIn(ClusterNode node) {
        String username = newUsername();
        String id = realm.admin().createUser(Map.of("username", username, "enabled", true));
        realm.admin().resetPassword(id, PASSWORD);
        Response response = post(node, TOKEN, Map.of("username", username, "password", PASSWORD));
        response.then().statusCode(200);
        return Map.of("id", id, "username", username, "refresh", response.path("refresh"), "access", response.path("access"));
    }

    @Test
    void tokensFromAWorkOnBAndARefreshOnBRetiresTheOldRefreshTokenOnBothNodes() {
        Map<String, String> pair = signIn(cluster.a());
        getUser(cluster.b(), pair.get("access")).then().statusCode(200).body(equalTo("{\"username\":\"" + pair.get("username") + "\"}"));
        post(cluster.b(), VERIFY, Map.of("token", pair.get("access"))).then().statusCode(200).body(equalTo("{}"));

        Response rotated = post(cluster.b(), REFRESH, Map.of("refresh", pair.get("refresh")));
        rotated.then().statusCode(200);

        for (ClusterNode node : cluster.nodes()) {
            // A used refresh token is SimpleJWT's blacklisted token, on every node.
            post(node, REFRESH, Map.of("refresh", pair.get("refresh"))).then().statusCode(401).body(equalTo(BLACKLISTED));
            post(node, VERIFY, Map.of("token", pair.get("refresh"))).then().statusCode(400).body(equalTo(VERIFY_BLACKLISTED));
        }
        post(cluster.a(), REFRESH, Map.of("refresh", rotated.path("refresh"))).then().statusCode(200);
        getUser(cluster.a(), rotated.path("access")).then().statusCode(200);
        assertThat(realm.admin().userSessions(pair.get("id"))).hasSize(1);
    }

    @Test
    void fiftyParallelRefreshesOfOneTokenSplitAcrossNodesSucceedExactlyOnce() throws Exception {
        Map<String, String> pair = signIn(cluster.b());

        List<Response> responses = Burst.responses(Burst.SIZE, i -> post(cluster.next(i), REFRESH,
                Map.of("refresh", pair.get("refresh"))));

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
        assertThat(responses).filteredOn(r -> r.statusCode() == 401).hasSize(Burst.SIZE - 1)
                .allSatisfy(r -> assertThat(r.asString()).isEqualTo(BLACKLISTED));
        String fresh = responses.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow().path("refresh");
        post(cluster.a(), REFRESH, Map.of("refresh", fresh)).then().statusCode(200);
        assertThat(realm.admin().userSessions(pair.get("id"))).hasSize(1);
    }

    @Test
    void anAdministratorsSignOutThroughAEndsEveryTokenOnB() {
        Map<String, String> pair = signIn(cluster.b());

        realm.a().admin().logoutUser(pair.get("id"));

        getUser(cluster.b(), pair.get("access")).then().statusCode(401);
        post(cluster.b(), VERIFY, Map.of("token", pair.get("access"))).then().statusCode(401).body(equalTo(NOT_VALID));
        // A refresh token whose session ended is blacklisted, in SimpleJWT's words.
        post(cluster.b(), REFRESH, Map.of("refresh", pair.get("refresh"))).then().statusCode(401).body(equalTo(BLACKLISTED));
    }

    @Test
    void fiftyParallelRegistrationsOfOneUsernameSplitAcrossNodesMakeExactlyOneUser() throws Exception {
        String username = newUsername();

        List<Response> responses = Burst.responses(Burst.SIZE, i -> post(cluster.next(i), REGISTER,
                Map.of("username", i % 2 == 0 ? username : username.toUpperCase(), "password", PASSWORD)));

        assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
        assertThat(responses).filteredOn(r -> r.statusCode() == 409).hasSize(Burst.SIZE - 1)
                .allSatisfy(r -> assertThat(r.asString()).isEqualTo("{\"detail\":\"User already exists\"}"));
        assertThat(realm.admin().findUsers(Map.of("username", username, "exact", true))).singleElement()
                .satisfies(user -> assertThat(realm.admin().userSessions(user.path("id").asText())).hasSize(1));
    }
}
