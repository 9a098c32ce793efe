package io.github.dropin.keycloak.it.usersapi;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.Cluster;
import io.github.dropin.keycloak.it.ClusterNode;
import io.github.dropin.keycloak.it.ClusterRealm;
import io.github.dropin.keycloak.it.KeycloakCluster;
import io.github.dropin.keycloak.it.MailServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.CANNOT_LOG_IN;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.INVALID_TOKEN;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.PASSWORD;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.RESET;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.STATUS_OK;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.TOKEN_AUTH;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.USERS;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.resetToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Dialect {@code users-api} on a two-node cluster (SPEC §2.4, §4.4): {@code api-token-auth} keys issued by one node
 * work on the other and die on both with their session; password-reset tokens, kept in the replicated store, are
 * validated on one node and consumed on the other, exactly once even when 50 confirmations split across the nodes
 * race; the reset cooldown holds across nodes; 50 parallel registrations of one username or one email make one user.
 */
@KeycloakCluster("realms/users-api.json")
class UsersApiClusterIT {

    static final String PASSWORD_CHANGED = "{\"status\":\"success\",\"code\":200,\"message\":\"Password updated successfully\",\"data\":[]}";

    final Cluster cluster;
    final ClusterRealm realm;
    final MailServer mail;

    UsersApiClusterIT(Cluster cluster, ClusterRealm realm, MailServer mail) {
        this.cluster = cluster;
        this.realm = realm;
        this.mail = mail;
    }

    record Account(String id, String username, String email) {
    }

    Response post(ClusterNode node, String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.on(node).realmUrl() + path);
    }

    Response getUser(ClusterNode node, String authorization, String id) {
        return given().header("Authorization", authorization).get(realm.on(node).realmUrl() + USERS + id + "/");
    }

    static String newName() {
        return "uc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    Account register(ClusterNode node) {
        String name = newName();
        String email = name + "@example.test";
        Response response = post(node, USERS, Map.of("username", name, "password", PASSWORD, "first_name", "Grace",
                "last_name", "Hopper", "email", email));
        response.then().statusCode(201);
        return new Account(response.path("id"), name, email);
    }

    String key(ClusterNode node, Account account, String password) {
        Response response = post(node, TOKEN_AUTH, Map.of("username", account.username(), "password", password));
        response.then().statusCode(200);
        return response.path("token");
    }

    /** Requests a reset through {@code node} and returns the token from the {@code n}th email to the account. */
    String resetTokenFor(ClusterNode node, Account account, int n) throws InterruptedException {
        post(node, RESET, Map.of("email", account.email())).then().statusCode(200).body(equalTo(STATUS_OK));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mail.emailsTo(account.email()).size() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(mail.emailsTo(account.email())).hasSizeGreaterThanOrEqualTo(n);
        return resetToken(mail.emailsTo(account.email()).get(n - 1));
    }

    @Test
    void aKeyFromAWorksOnBAsTokenAndBearerAndAPasswordChangeOnBEndsItOnBoth() {
        Account account = register(cluster.a());
        String key = key(cluster.a(), account, PASSWORD);
        String other = key(cluster.b(), account, PASSWORD);

        getUser(cluster.b(), "Token " + key, account.id()).then().statusCode(200).body("username", equalTo(account.username()));
        getUser(cluster.b(), "Bearer " + key, account.id()).then().statusCode(200);

        given().header("Authorization", "Token " + key).contentType(ContentType.JSON)
                .body(Map.of("old_password", PASSWORD, "new_password", "Fresh-pass-22"))
                .post(realm.b().realmUrl() + USERS + account.id() + "/").then().statusCode(200).body(equalTo(PASSWORD_CHANGED));

        // The caller's own key lives on (Keycloak's own password update keeps the current session); every other dies.
        for (ClusterNode node : cluster.nodes()) {
            getUser(node, "Token " + key, account.id()).then().statusCode(200);
            getUser(node, "Token " + other, account.id()).then().statusCode(401).body(equalTo("{\"detail\":\"Invalid token.\"}"));
        }
        post(cluster.a(), TOKEN_AUTH, Map.of("username", account.username(), "password", PASSWORD))
                .then().statusCode(400).body(equalTo(CANNOT_LOG_IN));
        key(cluster.a(), account, "Fresh-pass-22");
    }

    /**
     * A reset token emailed by A, validated on B, then confirmed by 50 requests at once split across both nodes: one
     * confirmation sets the password, the others find the token used. Every session (and its key) ends on both nodes.
     */
    @Test
    void aResetTokenFromAIsValidOnBAndFiftyParallelConfirmationsSplitAcrossNodesUseItOnce() throws Exception {
        Account account = register(cluster.a());
        String key = key(cluster.b(), account, PASSWORD);
        String token = resetTokenFor(cluster.a(), account, 1);

        post(cluster.b(), RESET + "validate_token/", Map.of("token", token)).then().statusCode(200).body(equalTo(STATUS_OK));
        List<Response> responses = Burst.responses(Burst.SIZE, i -> post(cluster.next(i), RESET + "confirm/",
                Map.of("token", token, "password", "Brand-new-pass-" + i)));

        List<Response> confirmed = responses.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(confirmed).hasSize(1).allSatisfy(r -> assertThat(r.asString()).isEqualTo(STATUS_OK));
        assertThat(responses).filteredOn(r -> r.statusCode() == 404).hasSize(Burst.SIZE - 1)
                .allSatisfy(r -> assertThat(r.asString()).isEqualTo(INVALID_TOKEN));
        int winner = responses.indexOf(confirmed.get(0));

        for (ClusterNode node : cluster.nodes()) {
            post(node, RESET + "validate_token/", Map.of("token", token)).then().statusCode(404);
            getUser(node, "Token " + key, account.id()).then().statusCode(401);
        }
        assertThat(realm.admin().userSessions(account.id())).isEmpty();
        assertThat(realm.admin().user(account.id()).path("emailVerified").asBoolean()).isTrue();
        realm.admin().assertNoBruteForceFailures(account.id(), Duration.ofSeconds(2));
        key(cluster.a(), account, "Brand-new-pass-" + winner);
    }

    /** Reset requests for one address split across the nodes: the cooldown lets one through, one email leaves. */
    @Test
    void aBurstOfResetRequestsSplitAcrossNodesSendsOneEmail() throws Exception {
        Account account = register(cluster.b());

        List<Integer> statuses = Burst.statuses(Burst.SIZE, i -> post(cluster.next(i), RESET,
                Map.of("email", i % 2 == 0 ? account.email() : account.email().toUpperCase(Locale.ROOT))));

        assertThat(statuses).containsOnly(200, 429);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mail.emailsTo(account.email()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(2000);
        assertThat(mail.emailsTo(account.email())).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"username", "email"})
    void fiftyParallelRegistrationsSharingOneValueSplitAcrossNodesMakeExactlyOneUser(String shared) throws Exception {
        String name = newName();
        String email = newName() + "@example.test";

        List<Response> responses = Burst.responses(Burst.SIZE, i -> {
            String username = shared.equals("username") ? (i % 2 == 0 ? name : name.toUpperCase(Locale.ROOT)) : newName();
            String address = shared.equals("email") ? (i % 2 == 0 ? email : email.toUpperCase(Locale.ROOT))
                    : newName() + "@example.test";
            return post(cluster.next(i), USERS, Map.of("username", username, "password", PASSWORD, "email", address));
        });

        assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
        String taken = shared.equals("username") ? "{\"username\":[\"A user with that username already exists.\"]}"
                : "{\"email\":[\"A user with that email already exists.\"]}";
        assertThat(responses).filteredOn(r -> r.statusCode() == 400).hasSize(Burst.SIZE - 1)
                .allSatisfy(r -> assertThat(r.asString()).isEqualTo(taken));
        assertThat(shared.equals("username")
                ? realm.admin().findUsers(Map.of("username", name, "exact", true))
                : realm.admin().findUsers(Map.of("email", email, "exact", true))).hasSize(1);
    }
}
