package io.github.dropin.keycloak.it.emailsignup;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.BASE;
import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.INVALID_CODE;
import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.NO_ACCOUNT;
import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.PASSWORD;
import static io.github.dropin.keycloak.it.emailsignup.EmailSignupIT.newEmail;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dialect {@code email-signup} with brute-force detection on (the fixture locks after 3 failures): on every code
 * path ({@code verify-code/} for both purposes, {@code recovery-reset-password/}, {@code reset-pin-verify/}) 50
 * parallel requests holding the same right code succeed exactly once, the other 49 get the dialect's code refusal,
 * Keycloak shows one effect, and the detector counts no failure: none of the requests guessed. The PIN and the
 * password, which are not used up, are checked 50 times at once too.
 */
@KeycloakRealm("realms/email-signup.json")
class EmailSignupParallelIT {

    /** The pack's default budget of wrong passwords per account and window (CredentialThrottle). */
    static final long ACCOUNT_PASSWORD_BUDGET = 10;

    static final Duration QUIET = Duration.ofSeconds(2);
    static final String OK = "{\"detail\":\"ok\"}";
    /** verify-code's answer for email_verification of an account without a password (beyond the seed). */
    static final String OK_WITH_SET_PASSWORD_TOKEN =
            Pattern.quote("{\"detail\":\"ok\",\"set_password_token\":\"") + "[A-Za-z0-9_-]{43}" + Pattern.quote("\"}");
    static final String CODE_EXHAUSTED = "{\"code\":[\"Too many failed attempts. Request a new code.\"]}";

    final TestRealm realm;
    final MailServer mail;

    EmailSignupParallelIT(TestRealm realm, MailServer mail) {
        this.realm = realm;
        this.mail = mail;
    }

    String url(String path) {
        return realm.realmUrl() + BASE + path;
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(url(path));
    }

    RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** The {@code n}th email (1-based) to {@code to}, waiting for it. */
    MailServer.Email email(String to, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mail.emailsTo(to).size() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(mail.emailsTo(to)).as("emails to " + to).hasSizeGreaterThanOrEqualTo(n);
        return mail.emailsTo(to).get(n - 1);
    }

    String register(String email) {
        Response response = post("users/", Map.of("email", email, "terms_accepted", true));
        response.then().statusCode(201);
        return response.path("id");
    }

    Response verify(String email, String code, String purpose) {
        return post("verify-code/", Map.of("email", email, "code", code, "purpose", purpose));
    }

    record Account(String id, String email) {
    }

    /** Registered, verified, with {@link EmailSignupIT#PASSWORD}: one email received. */
    Account account() throws InterruptedException {
        String email = newEmail();
        String id = register(email);
        verify(email, email(email, 1).code(), "email_verification").then().statusCode(200);
        post("public-set-password/", Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD))
                .then().statusCode(200);
        return new Account(id, email);
    }

    String accessToken(Account account) {
        Response response = post("token/obtain/", Map.of("email", account.email(), "password", PASSWORD));
        response.then().statusCode(200);
        return response.path("access");
    }

    long events(String type, String userId) {
        return realm.admin().events(type).stream().filter(e -> userId.equals(e.path("userId").asText())).count();
    }

    /** One answer matching {@code success} (a regular expression); 49 of the dialect's answers for a code that does not (or no longer) verify. */
    static void assertOneSuccessAndCodeRefusalFor49(List<Response> responses, String success) {
        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1)
                .allSatisfy(r -> assertThat(r.asString()).matches(success));
        // The others find the code used, or its attempts all claimed by requests still comparing.
        assertThat(responses).filteredOn(r -> r.statusCode() != 200).hasSize(Burst.SIZE - 1).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.asString()).isIn(INVALID_CODE, CODE_EXHAUSTED);
        });
    }

    @Test
    void verifyCodeEmailVerificationFiftyParallelRightCodesVerifyTheEmailOnce() throws Exception {
        String email = newEmail();
        String id = register(email);
        String code = email(email, 1).code();

        List<Response> responses = Burst.responses(Burst.SIZE, i -> verify(email, code, "email_verification"));
        System.out.println("PARALLEL email-signup verify-code (email_verification): " + Burst.tally(responses));

        assertOneSuccessAndCodeRefusalFor49(responses, OK_WITH_SET_PASSWORD_TOKEN);
        assertThat(realm.admin().user(id).path("emailVerified").asBoolean()).isTrue();
        assertThat(events("VERIFY_EMAIL", id)).isEqualTo(1);
        realm.admin().assertNoBruteForceFailures(id, QUIET);
        // The one right to set a first password was given.
        post("public-set-password/", Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD))
                .then().statusCode(200);
    }

    @Test
    void verifyCodePasswordRecoveryFiftyParallelRightCodesGiveOneRecoveryGrant() throws Exception {
        Account account = account();
        post("recovery-request/", Map.of("email", account.email())).then().statusCode(200);
        String code = email(account.email(), 2).code();

        List<Response> responses = Burst.responses(Burst.SIZE, i -> verify(account.email(), code, "password_recovery"));
        System.out.println("PARALLEL email-signup verify-code (password_recovery): " + Burst.tally(responses));

        assertOneSuccessAndCodeRefusalFor49(responses, Pattern.quote(OK));
        assertThat(events("RESET_PASSWORD", account.id())).isEqualTo(1);
        realm.admin().assertNoBruteForceFailures(account.id(), QUIET);
        // The grant the one success gave resets the password.
        post("recovery-reset-password/", Map.of("email", account.email(), "code", code,
                "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4")).then().statusCode(200);
    }

    @Test
    void recoveryResetPasswordFiftyParallelRightCodesChangeThePasswordOnce() throws Exception {
        Account account = account();
        post("recovery-request/", Map.of("email", account.email())).then().statusCode(200);
        String code = email(account.email(), 2).code();
        verify(account.email(), code, "password_recovery").then().statusCode(200);

        List<Response> responses = Burst.responses(Burst.SIZE, i -> post("recovery-reset-password/", Map.of(
                "email", account.email(), "code", code, "password", "Brand-new-pass-" + i, "password2", "Brand-new-pass-" + i)));
        System.out.println("PARALLEL email-signup recovery-reset-password: " + Burst.tally(responses));

        assertOneSuccessAndCodeRefusalFor49(responses,
                Pattern.quote("{\"detail\":\"Password has been reset with the new password.\"}"));
        assertThat(events("UPDATE_PASSWORD", account.id())).as("the first password and one reset").isEqualTo(2);
        realm.admin().assertNoBruteForceFailures(account.id(), QUIET);
        int winner = responses.indexOf(responses.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow());
        post("token/obtain/", Map.of("email", account.email(), "password", "Brand-new-pass-" + winner)).then().statusCode(200);
    }

    @Test
    void resetPinVerifyFiftyParallelRightCodesAuthoriseOneNewPin() throws Exception {
        Account account = account();
        String access = accessToken(account);
        bearer(access).body(Map.of("pin", "5555")).post(url("pin/")).then().statusCode(204);
        bearer(access).post(url("reset-pin-request/")).then().statusCode(200);
        String code = email(account.email(), 2).code();

        List<Response> responses = Burst.responses(Burst.SIZE, i -> bearer(access).body(Map.of("code", code))
                .post(url("reset-pin-verify/")));
        System.out.println("PARALLEL email-signup reset-pin-verify: " + Burst.tally(responses));

        assertOneSuccessAndCodeRefusalFor49(responses, Pattern.quote(OK));
        assertThat(realm.admin().events("UPDATE_CREDENTIAL").stream()
                .filter(e -> account.id().equals(e.path("userId").asText()))
                .filter(e -> "reset_verified".equals(e.path("details").path("operation").asText()))).hasSize(1);
        realm.admin().assertNoBruteForceFailures(account.id(), QUIET);
        // One new PIN without the old one, once.
        bearer(access).body(Map.of("pin", "6666")).post(url("pin/")).then().statusCode(204);
        bearer(access).body(Map.of("pin", "7777")).post(url("pin/")).then().statusCode(400);
    }

    /**
     * A PIN is not used up, so it is checked as a password is: every PIN check first claims one of the 5 attempt
     * slots (so that parallel guesses cannot exceed the limit) and a right PIN gives its slot back. Of 50 parallel
     * checks with the right PIN, those that find every slot held by checks still comparing are turned away with the
     * PIN lock's 429, as Keycloak's own password grant turns away concurrent logins of one user; none is told the PIN
     * is wrong, at least one succeeds, nothing counts towards Keycloak's detector, and the PIN works at once after.
     */
    @Test
    void pinCheckFiftyParallelRightPinsAreNeverWrongAndLeaveNoLock() throws Exception {
        Account account = account();
        String access = accessToken(account);
        bearer(access).body(Map.of("pin", "4821")).post(url("pin/")).then().statusCode(204);

        List<Response> responses = Burst.responses(Burst.SIZE, i -> bearer(access).body(Map.of("pin", "4821"))
                .post(url("pin/check/")));
        System.out.println("PARALLEL email-signup pin/check: " + Burst.tally(responses));

        List<Response> valid = responses.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(valid).isNotEmpty().allSatisfy(r -> assertThat(r.asString()).isEqualTo("{\"valid\":true}"));
        assertThat(responses).filteredOn(r -> r.statusCode() != 200).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.asString()).matches("\\{\"detail\":\"Request was throttled\\. Expected available in \\d+ seconds\\.\"}");
        });
        realm.admin().assertNoBruteForceFailures(account.id(), QUIET);
        bearer(access).body(Map.of("pin", "4821")).post(url("pin/check/")).then().statusCode(200);
    }

    /**
     * Keycloak's own password grant turns away a login while another login of the same user is in progress on the
     * node (its default {@code DefaultBlockingBruteForceProtector} then reports the user temporarily disabled), with
     * the wrong-password answer and without counting a failure; of 50 parallel right passwords it let 1 or 2 in
     * ({@code NativeParallelIT}). The expectation that matches it: at least one gets in, every other gets SimpleJWT's
     * "no active account", each success is one session, and the detector counts no failure.
     */
    @Test
    void tokenObtainFiftyParallelRightPasswordsBehaveAsKeycloaksPasswordGrant() throws Exception {
        Account account = account();
        Map<String, String> credentials = Map.of("email", account.email(), "password", PASSWORD);

        List<Response> responses = Burst.responses(Burst.SIZE, i -> post("token/obtain/", credentials));
        System.out.println("PARALLEL email-signup token/obtain: " + Burst.tally(responses));

        List<Response> signedIn = responses.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(signedIn).isNotEmpty()
                .allSatisfy(r -> assertThat(r.jsonPath().getMap("")).containsOnlyKeys("refresh", "access"));
        // Refused: by the detector's lock check, as Keycloak's grant refuses a login in progress, or by the pack's
        // throttle, whose per-account budget holds a slot for every comparison under way until it proves right.
        Burst.assertRefusedOrThrottled(responses.stream().filter(r -> r.statusCode() != 200).toList(), 401, NO_ACCOUNT);
        assertThat(realm.admin().userSessions(account.id())).hasSize(signedIn.size());
        realm.admin().assertNoBruteForceFailures(account.id(), QUIET);
        post("token/obtain/", credentials).then().statusCode(200);
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
    void tokenObtainFiftyParallelWrongPasswordsAreComparedNoMoreThanTheAccountBudget() throws Exception {
        Account account = account();
        String id = account.id();

        List<Response> responses = Burst.responses(Burst.SIZE, i ->
                post("token/obtain/", Map.of("email", account.email(), "password", "Wrong-pass-" + i)));
        System.out.println("PARALLEL email-signup token/obtain, wrong passwords: " + Burst.tally(responses));

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
