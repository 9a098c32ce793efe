package io.github.dropin.keycloak.it.jwtauth;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.NO_ACCOUNT;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.PASSWORD;
import static io.github.dropin.keycloak.it.jwtauth.JwtAuthIT.TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dialect {@code jwt-auth} with brute-force detection on (the fixture locks after 3 failures): its one credential path,
 * {@code token}, with 50 parallel requests holding the right password.
 */
@KeycloakRealm("realms/jwt-auth.json")
class JwtAuthParallelIT {

    static final Duration QUIET = Duration.ofSeconds(2);

    final TestRealm realm;

    JwtAuthParallelIT(TestRealm realm) {
        this.realm = realm;
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    /**
     * Keycloak's own password grant turns away a login while another login of the same user is in progress on the
     * node (its default {@code DefaultBlockingBruteForceProtector} then reports the user temporarily disabled), with
     * the wrong-password answer and without counting a failure; of 50 parallel right passwords it let 1 or 2 in
     * ({@code NativeParallelIT}). The expectation that matches it: at least one gets in, every other gets SimpleJWT's
     * "no active account", each success is one session, and the detector counts no failure.
     */
    @Test
    void tokenFiftyParallelRightPasswordsBehaveAsKeycloaksPasswordGrant() throws Exception {
        String username = JwtAuthIT.newUsername();
        String id = realm.admin().createUser(Map.of("username", username, "enabled", true));
        realm.admin().resetPassword(id, PASSWORD);
        Map<String, String> credentials = Map.of("username", username, "password", PASSWORD);

        List<Response> responses = Burst.responses(Burst.SIZE, i -> post(TOKEN, credentials));
        System.out.println("PARALLEL jwt-auth token: " + Burst.tally(responses));

        List<Response> signedIn = responses.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(signedIn).isNotEmpty()
                .allSatisfy(r -> assertThat(r.jsonPath().getMap("")).containsOnlyKeys("refresh", "access"));
        assertThat(responses).filteredOn(r -> r.statusCode() != 200).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.asString()).isEqualTo(NO_ACCOUNT);
        });
        assertThat(realm.admin().userSessions(id)).hasSize(signedIn.size());
        realm.admin().assertNoBruteForceFailures(id, QUIET);
        post(TOKEN, credentials).then().statusCode(200);
    }

    /**
     * Why Keycloak turns away parallel logins of one user: its protector lets one login of a user run at a time on a
     * node, and the next one only after the failure of the last was recorded, so parallel guesses cannot outrun the
     * failure count. Of 50 parallel wrong passwords its own password grant compared 1 or 2 and refused the rest as
     * temporarily disabled ({@code NativeParallelIT}); at most the realm's failure factor may be compared before the
     * lock. Here every refusal is SimpleJWT's "no active account", and the compared guesses are the
     * {@code invalid_user_credentials} login errors.
     */
    @Test
    @Disabled("drift: every parallel guess is compared; the protector sees no login in progress outside an auth session — enabled by the core service")
    void tokenFiftyParallelWrongPasswordsAreComparedNoMoreThanTheFailureFactor() throws Exception {
        String username = JwtAuthIT.newUsername();
        String id = realm.admin().createUser(Map.of("username", username, "enabled", true));
        realm.admin().resetPassword(id, PASSWORD);

        List<Response> responses = Burst.responses(Burst.SIZE, i ->
                post(TOKEN, Map.of("username", username, "password", "wrong password " + i)));
        System.out.println("PARALLEL jwt-auth token, wrong passwords: " + Burst.tally(responses));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.asString()).isEqualTo(NO_ACCOUNT);
        });
        long compared = realm.admin().events("LOGIN_ERROR").stream().filter(e -> id.equals(e.path("userId").asText()))
                .filter(e -> "invalid_user_credentials".equals(e.path("error").asText())).count();
        assertThat(compared).as("wrong passwords compared")
                .isBetween(1L, (long) realm.admin().realm().path("failureFactor").asInt());
    }
}
