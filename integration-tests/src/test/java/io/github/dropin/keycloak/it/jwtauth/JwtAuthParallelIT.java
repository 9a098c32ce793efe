package io.github.dropin.keycloak.it.jwtauth;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
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

    /** The pack's default budget of wrong passwords per account and window (CredentialThrottle). */
    static final long ACCOUNT_PASSWORD_BUDGET = 10;

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
        // Refused: by the detector's lock check, as Keycloak's grant refuses a login in progress, or by the pack's
        // throttle, whose per-account budget holds a slot for every comparison under way until it proves right.
        Burst.assertRefusedOrThrottled(responses.stream().filter(r -> r.statusCode() != 200).toList(), 401, NO_ACCOUNT);
        assertThat(realm.admin().userSessions(id)).hasSize(signedIn.size());
        realm.admin().assertNoBruteForceFailures(id, QUIET);
        post(TOKEN, credentials).then().statusCode(200);
    }

    /**
     * 50 parallel wrong passwords for one account. Keycloak's detector records failures asynchronously, so it cannot
     * stop parallel guesses by itself (its own login forms serialise a user's logins inside the authentication
     * session, which the dialects do not have); the pack's credential throttle claims a failure slot before each
     * comparison, so at most its per-account budget is compared, and the rest get the throttle's 429 or, once the
     * detector has locked the account, the seed's wrong-credentials answer. Compared guesses are the
     * {@code invalid_user_credentials} login errors.
     */
    @Test
    void tokenFiftyParallelWrongPasswordsAreComparedNoMoreThanTheAccountBudget() throws Exception {
        String username = JwtAuthIT.newUsername();
        String id = realm.admin().createUser(Map.of("username", username, "enabled", true));
        realm.admin().resetPassword(id, PASSWORD);

        List<Response> responses = Burst.responses(Burst.SIZE, i ->
                post(TOKEN, Map.of("username", username, "password", "wrong password " + i)));
        System.out.println("PARALLEL jwt-auth token, wrong passwords: " + Burst.tally(responses));

        // Each answer is the seed's wrong-credentials answer, or the throttle's 429 once the account's budget of
        // wrong passwords is spent; never anything else, and never a 5xx.
        Burst.assertRefusedOrThrottled(responses, 401, NO_ACCOUNT);
        long compared = realm.admin().events("LOGIN_ERROR").stream().filter(e -> id.equals(e.path("userId").asText()))
                .filter(e -> "invalid_user_credentials".equals(e.path("error").asText())).count();
        // Every check claims a failure slot before comparing (cluster-atomic), so parallel guesses cannot outrun the
        // count: at most the pack's per-account budget (10 by default, CredentialThrottle.Limits.PASSWORDS) is
        // compared, however many arrive at once, whether or not the detector has recorded its failures yet.
        assertThat(compared).as("wrong passwords compared").isBetween(1L, ACCOUNT_PASSWORD_BUDGET);
    }
}
