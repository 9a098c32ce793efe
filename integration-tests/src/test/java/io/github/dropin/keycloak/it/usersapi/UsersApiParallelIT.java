package io.github.dropin.keycloak.it.usersapi;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.CANNOT_LOG_IN;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.INVALID_TOKEN;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.PASSWORD;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.RESET;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.STATUS_OK;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.TOKEN_AUTH;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.USERS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Dialect {@code users-api} with brute-force detection on (the fixture locks after 3 failures): 50 parallel
 * confirmations with the same emailed reset token change the password exactly once, 50 parallel validations of it
 * all answer OK and leave it usable, the detector counts no failure, and 50 parallel {@code api-token-auth} logins
 * with the right password behave as Keycloak's own password grant does.
 */
@KeycloakRealm("realms/users-api.json")
class UsersApiParallelIT {

    /** The pack's default budget of wrong passwords per account and window (CredentialThrottle). */
    static final long ACCOUNT_PASSWORD_BUDGET = 10;

    static final Duration QUIET = Duration.ofSeconds(2);

    final TestRealm realm;
    final MailServer mail;

    UsersApiParallelIT(TestRealm realm, MailServer mail) {
        this.realm = realm;
        this.mail = mail;
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    record Account(String id, String username, String email) {
    }

    Account account() {
        String name = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String email = name + "@example.test";
        Response response = post(USERS, Map.of("username", name, "password", PASSWORD, "email", email));
        response.then().statusCode(201);
        return new Account(response.path("id"), name, email);
    }

    /** Asks for a reset email and returns the token in it. */
    String resetToken(Account account) throws InterruptedException {
        post(RESET, Map.of("email", account.email())).then().statusCode(200).body(equalTo(STATUS_OK));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mail.emailsTo(account.email()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(mail.emailsTo(account.email())).as("reset email to " + account.email()).hasSize(1);
        return UsersApiIT.resetToken(mail.emailsTo(account.email()).get(0));
    }

    long events(String type, String userId) {
        return realm.admin().events(type).stream().filter(e -> userId.equals(e.path("userId").asText())).count();
    }

    Response login(Account account, String password) {
        return post(TOKEN_AUTH, Map.of("username", account.username(), "password", password));
    }

    @Test
    void passwordResetConfirmFiftyParallelConfirmationsWithTheRightTokenChangeThePasswordOnce() throws Exception {
        Account account = account();
        String token = resetToken(account);

        List<Response> responses = Burst.responses(Burst.SIZE, i -> post(RESET + "confirm/",
                Map.of("token", token, "password", "Brand-new-pass-" + i)));
        System.out.println("PARALLEL users-api password_reset/confirm: " + Burst.tally(responses));

        List<Response> confirmed = responses.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(confirmed).hasSize(1).allSatisfy(r -> assertThat(r.asString()).isEqualTo(STATUS_OK));
        // The others find the token used: django-rest-passwordreset's 404 for an unknown token.
        assertThat(responses).filteredOn(r -> r.statusCode() != 200).hasSize(Burst.SIZE - 1).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.asString()).isEqualTo(INVALID_TOKEN);
        });
        assertThat(events("UPDATE_PASSWORD", account.id())).isEqualTo(1);
        realm.admin().assertNoBruteForceFailures(account.id(), QUIET);
        int winner = responses.indexOf(confirmed.get(0));
        login(account, "Brand-new-pass-" + winner).then().statusCode(200);
        login(account, PASSWORD).then().statusCode(400);
    }

    /**
     * {@code validate_token/} only looks at the token (django-rest-passwordreset does not use it up there): all 50
     * answer OK, nothing counts as a failure, and the token then changes the password once.
     */
    @Test
    void passwordResetValidateTokenFiftyParallelValidationsAllAnswerOkAndLeaveTheTokenUsable() throws Exception {
        Account account = account();
        String token = resetToken(account);

        List<Response> responses = Burst.responses(Burst.SIZE, i ->
                post(RESET + "validate_token/", Map.of("token", token)));
        System.out.println("PARALLEL users-api password_reset/validate_token: " + Burst.tally(responses));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.asString()).isEqualTo(STATUS_OK);
        });
        realm.admin().assertNoBruteForceFailures(account.id(), QUIET);
        post(RESET + "confirm/", Map.of("token", token, "password", "Brand-new-pass-1")).then().statusCode(200);
        post(RESET + "confirm/", Map.of("token", token, "password", "Brand-new-pass-2")).then().statusCode(404);
        assertThat(events("UPDATE_PASSWORD", account.id())).isEqualTo(1);
    }

    /**
     * Keycloak's own password grant turns away a login while another login of the same user is in progress on the
     * node (its default {@code DefaultBlockingBruteForceProtector} then reports the user temporarily disabled), with
     * the wrong-password answer and without counting a failure; of 50 parallel right passwords it let 1 or 2 in
     * ({@code NativeParallelIT}). The expectation that matches it: at least one gets in, every other gets DRF's
     * "unable to log in", each success is one session, and the detector counts no failure.
     */
    @Test
    void apiTokenAuthFiftyParallelRightPasswordsBehaveAsKeycloaksPasswordGrant() throws Exception {
        Account account = account();

        List<Response> responses = Burst.responses(Burst.SIZE, i -> login(account, PASSWORD));
        System.out.println("PARALLEL users-api api-token-auth: " + Burst.tally(responses));

        List<Response> signedIn = responses.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(signedIn).isNotEmpty().allSatisfy(r -> assertThat(r.jsonPath().getMap("")).containsOnlyKeys("token"));
        // Refused: by the detector's lock check, as Keycloak's grant refuses a login in progress, or by the pack's
        // throttle, whose per-account budget holds a slot for every comparison under way until it proves right.
        Burst.assertRefusedOrThrottled(responses.stream().filter(r -> r.statusCode() != 200).toList(), 400, CANNOT_LOG_IN);
        assertThat(realm.admin().userSessions(account.id())).hasSize(signedIn.size());
        realm.admin().assertNoBruteForceFailures(account.id(), QUIET);
        login(account, PASSWORD).then().statusCode(200);
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
    void apiTokenAuthFiftyParallelWrongPasswordsAreComparedNoMoreThanTheAccountBudget() throws Exception {
        Account account = account();
        String id = account.id();

        List<Response> responses = Burst.responses(Burst.SIZE, i -> login(account, "Wrong-pass-" + i));
        System.out.println("PARALLEL users-api api-token-auth, wrong passwords: " + Burst.tally(responses));

        // Each answer is the seed's wrong-credentials answer, or the throttle's 429 once the account's budget of
        // wrong passwords is spent; never anything else, and never a 5xx.
        Burst.assertRefusedOrThrottled(responses, 400, CANNOT_LOG_IN);
        long compared = realm.admin().events("LOGIN_ERROR").stream().filter(e -> id.equals(e.path("userId").asText()))
                .filter(e -> "invalid_user_credentials".equals(e.path("error").asText())).count();
        // Every check claims a failure slot before comparing (cluster-atomic), so parallel guesses cannot outrun the
        // count: at most the pack's per-account budget (10 by default, CredentialThrottle.Limits.PASSWORDS) is
        // compared, however many arrive at once, whether or not the detector has recorded its failures yet.
        assertThat(compared).as("wrong passwords compared").isBetween(1L, ACCOUNT_PASSWORD_BUDGET);
    }
}
