package io.github.dropin.keycloak.it.nativelogin;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.Cluster;
import io.github.dropin.keycloak.it.ClusterNode;
import io.github.dropin.keycloak.it.ClusterRealm;
import io.github.dropin.keycloak.it.KeycloakCluster;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.createUser;
import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.restoreExecutionConfig;
import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.uniqueName;
import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.updateExecutionConfig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The direct grant with phone number and SMS code ({@code dropin-direct-grant-phone-code}) on a two-node cluster
 * (SPEC §2.2, §3): a code requested on one node ({@code POST /realms/{realm}/sms-code/request}) is exchanged at the
 * other node's token endpoint, once; the resend cooldown and the hourly limit per number hold for bursts of code
 * requests split across the nodes; 50 parallel grants with one code split across the nodes give one session.
 */
@KeycloakCluster(NativeLogin.FIXTURE)
class DirectGrantClusterIT {

    static final String CLIENT = "phone-app";
    static final String FLOW = "dropin direct grant";
    static final String USED = "{\"error\":\"invalid_grant\",\"error_description\":\"Code expired, already used or not requested\"}";

    final Cluster cluster;
    final ClusterRealm realm;

    DirectGrantClusterIT(Cluster cluster, ClusterRealm realm) {
        this.cluster = cluster;
        this.realm = realm;
    }

    Response requestCode(ClusterNode node, String phone) {
        return DirectGrantPhoneIT.requestCode(realm.on(node), CLIENT, phone);
    }

    Response token(ClusterNode node, String phone, String code) {
        return DirectGrantPhoneIT.token(realm.on(node), CLIENT, phone, code);
    }

    /** A user with a verified number; returns {id, phone}. */
    Map<String, String> user() {
        String phone = Phones.next();
        return Map.of("id", createUser(realm.a(), uniqueName("grant"), phone, true, null), "phone", phone);
    }

    /** Requests a code through {@code node} and returns it. */
    String code(ClusterNode node, String phone) {
        node.log().mark();
        requestCode(node, phone).then().statusCode(200);
        return node.inbox().awaitSms(realm.name(), phone).code();
    }

    @Test
    void aCodeRequestedOnAGivesTokensOnBOnceAndTheCooldownHoldsOnB() {
        Map<String, String> user = user();
        String code = code(cluster.a(), user.get("phone"));

        requestCode(cluster.b(), user.get("phone")).then().statusCode(429).body("error", equalTo("slow_down"));
        Response tokens = token(cluster.b(), user.get("phone"), code);
        tokens.then().statusCode(200);
        for (ClusterNode node : cluster.nodes()) {
            token(node, user.get("phone"), code).then().statusCode(400).body(equalTo(USED));
        }
        assertThat(realm.admin().userSessions(user.get("id"))).hasSize(1);

        // Keycloak's own endpoints on the other node take the tokens, and a logout there ends them here.
        String refresh = tokens.path("refresh_token");
        Response refreshed = given().formParams(Map.of("grant_type", "refresh_token", "client_id", CLIENT,
                "refresh_token", refresh)).post(realm.a().realmUrl() + "/protocol/openid-connect/token");
        refreshed.then().statusCode(200);
        given().formParams(Map.of("client_id", CLIENT, "refresh_token", refreshed.path("refresh_token")))
                .post(realm.a().realmUrl() + "/protocol/openid-connect/logout").then().statusCode(204);
        given().auth().oauth2(tokens.path("access_token")).get(realm.b().realmUrl() + "/protocol/openid-connect/userinfo")
                .then().statusCode(401);
        assertThat(realm.admin().userSessions(user.get("id"))).isEmpty();
    }

    @Test
    void fiftyParallelGrantsWithOneCodeSplitAcrossNodesGiveExactlyOneSession() throws Exception {
        Map<String, String> user = user();
        String code = code(cluster.b(), user.get("phone"));

        List<Response> responses = Burst.responses(Burst.SIZE, i -> token(cluster.next(i), user.get("phone"), code));

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
        // The others find the code used, or (beyond the code's 3 attempts, all claimed by requests still comparing)
        // its attempts exhausted: invalid_grant either way.
        assertThat(responses).filteredOn(r -> r.statusCode() == 400).hasSize(Burst.SIZE - 1)
                .allSatisfy(r -> assertThat(r.jsonPath().getString("error")).isEqualTo("invalid_grant"));
        assertThat(realm.admin().userSessions(user.get("id"))).hasSize(1);
        // None of them guessed: nothing counts towards the brute-force lock.
        realm.admin().assertNoBruteForceFailures(user.get("id"), Duration.ofSeconds(2));
    }

    /**
     * Code requests for one number split across the nodes: within the cooldown exactly one is sent; with the cooldown
     * set to 0 in the execution's configuration, the hourly limit per number (5) lets exactly five through.
     */
    @Test
    void theCooldownAndTheHourlyLimitLetExactlyTheConfiguredNumberThroughBurstsSplitAcrossNodes() throws Exception {
        TestRealm admin = realm.a();
        String phone = user().get("phone");
        cluster.nodes().forEach(node -> node.log().mark());

        List<Response> first = Burst.responses(Burst.SIZE, i -> requestCode(cluster.next(i), phone));
        assertThat(first).filteredOn(r -> r.statusCode() == 200).hasSize(1);
        assertThat(first).filteredOn(r -> r.statusCode() == 429).hasSize(Burst.SIZE - 1)
                .allSatisfy(r -> assertThat(r.jsonPath().getString("error")).isEqualTo("slow_down"));
        awaitSmsCount(phone, 1);

        String other = user().get("phone");
        JsonNode previous = updateExecutionConfig(admin, FLOW, "dropin-direct-grant-phone-code",
                Map.of("codeMaxAttempts", "3", "codeResendCooldown", "0"));
        try {
            cluster.nodes().forEach(node -> node.log().mark());
            List<Integer> second = Burst.statuses(Burst.SIZE, i -> requestCode(cluster.next(i), other));
            assertThat(second).containsOnly(200, 429);
            assertThat(second).filteredOn(s -> s == 200).hasSize(5);
            awaitSmsCount(other, 5);
        } finally {
            restoreExecutionConfig(admin, previous);
        }
    }

    void awaitSmsCount(String phone, long expected) throws InterruptedException {
        cluster.awaitSmsCount(realm.name(), phone, expected);
    }
}
