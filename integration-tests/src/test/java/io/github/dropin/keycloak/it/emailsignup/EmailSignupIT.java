package io.github.dropin.keycloak.it.emailsignup;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Jwts;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Dialect {@code email-signup} (SPEC §4.3, seed 002) against a real Keycloak and a real SMTP server: every row, its
 * errors, and Keycloak's state afterwards.
 */
@KeycloakRealm("realms/email-signup.json")
class EmailSignupIT {

    static final String BASE = "/email-signup/api/v1/auth/";
    static final String PASSWORD = "Correct-Horse-9";
    static final String INVALID_CODE = "{\"code\":[\"Invalid or expired code.\"]}";
    static final String NO_ACCOUNT = "{\"detail\":\"No active account found with the given credentials\"}";
    static final String TOKEN_NOT_VALID = "{\"detail\":\"Token is invalid or expired\",\"code\":\"token_not_valid\"}";
    /** SimpleJWT's answer to a refresh token that was used (rotated) or whose session ended. */
    static final String TOKEN_BLACKLISTED = "{\"detail\":\"Token is blacklisted\",\"code\":\"token_not_valid\"}";
    static final String NOT_ALLOWED = "{\"non_field_errors\":[\"The email address is not verified or the account already "
            + "has a password. Use account recovery instead.\"]}";
    static final String NOT_PROVIDED = "{\"detail\":\"Authentication credentials were not provided.\"}";

    final TestRealm realm;
    final MailServer mail;

    EmailSignupIT(TestRealm realm, MailServer mail) {
        this.realm = realm;
        this.mail = mail;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    String url(String path) {
        return realm.realmUrl() + BASE + path;
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(url(path));
    }

    Response form(String path, Map<String, ?> params) {
        return given().formParams(params).post(url(path));
    }

    RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    static String newEmail() {
        return "es-" + UUID.randomUUID().toString().substring(0, 12) + "@example.test";
    }

    /** The {@code n}th email (1-based) to {@code to}, waiting for it. */
    MailServer.Email email(String to, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<MailServer.Email> emails = mail.emailsTo(to);
            if (emails.size() >= n) {
                return emails.get(n - 1);
            }
            sleep(100);
        }
        throw new AssertionError("no email #" + n + " to " + to);
    }

    /** No more than {@code count} emails reach {@code to} during a short wait. */
    void assertEmailCount(String to, int count) {
        sleep(2000);
        assertThat(mail.emailsTo(to)).hasSize(count);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Registers {@code email} and returns the new user's id. */
    String register(String email) {
        Response response = post("users/", Map.of("email", email, "terms_accepted", true));
        response.then().statusCode(201);
        return response.path("id");
    }

    Response verify(String email, Object code, String purpose) {
        return post("verify-code/", Map.of("email", email, "code", code, "purpose", purpose));
    }

    record Account(String id, String email, String password) {
    }

    /** Registered, verified, with a password: the seed's three sign-up steps. */
    Account account() {
        String email = newEmail();
        String id = register(email);
        verify(email, email(email, 1).code(), "email_verification").then().statusCode(200);
        post("public-set-password/", Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD))
                .then().statusCode(200);
        return new Account(id, email, PASSWORD);
    }

    record Tokens(String access, String refresh) {
    }

    Tokens login(String email, String password) {
        Response response = post("token/obtain/", Map.of("email", email, "password", password));
        response.then().statusCode(200);
        return new Tokens(response.path("access"), response.path("refresh"));
    }

    Tokens login(Account account) {
        return login(account.email(), account.password());
    }

    JsonNode user(String id) {
        return realm.admin().user(id);
    }

    boolean hasCredential(String userId, String type) {
        return realm.admin().credentials(userId).stream().anyMatch(c -> c.path("type").asText().equals(type));
    }

    static List<Integer> parallel(int count, Callable<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, 10));
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(call));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get(120, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- sign-up ---------------------------------------------------------------------------------------------------

    @Nested
    class Registration {

        @Test
        void createsAnUnverifiedUserWithoutPasswordAndEmailsACode() {
            String email = newEmail();
            Response response = post("users/", Map.of("email", email.toUpperCase(), "terms_accepted", true));

            response.then().statusCode(201).contentType(ContentType.JSON);
            String id = response.path("id");
            assertThat(response.asString()).isEqualTo("{\"id\":\"" + id + "\",\"email\":\"" + email + "\"}");

            // Keycloak shows the acceptance time (its own attribute) where its Terms and Conditions action is on.
            enableTermsAndConditions();
            JsonNode user = user(id);
            assertThat(user.path("username").asText()).isEqualTo(email);
            assertThat(user.path("email").asText()).isEqualTo(email);
            assertThat(user.path("emailVerified").asBoolean()).isFalse();
            assertThat(user.path("enabled").asBoolean()).isTrue();
            assertThat(user.path("attributes").path("terms_and_conditions").path(0).asText()).matches("\\d{10}");
            assertThat(realm.admin().credentials(id)).as("no password before verification").isEmpty();

            MailServer.Email sent = email(email, 1);
            assertThat(sent.to()).containsExactly(email);
            assertThat(sent.from()).isEqualTo("noreply@example.test");
            assertThat(sent.subject()).isEqualTo("Verify your email address for Email Signup Test");
            assertThat(sent.code()).hasSize(6);
            assertThat(sent.text()).contains("10 minutes");

            assertThat(realm.admin().events("REGISTER"))
                    .anySatisfy(e -> {
                        assertThat(e.path("userId").asText()).isEqualTo(id);
                        assertThat(e.path("clientId").asText()).isEqualTo("email-signup");
                    });
        }

        void enableTermsAndConditions() {
            JsonNode action = readTree(realm.admin().request().get("/authentication/required-actions/TERMS_AND_CONDITIONS")
                    .then().statusCode(200).extract().asString());
            ((com.fasterxml.jackson.databind.node.ObjectNode) action).put("enabled", true);
            realm.admin().request().body(action.toString()).put("/authentication/required-actions/TERMS_AND_CONDITIONS")
                    .then().statusCode(204);
        }

        @Test
        void formBodiesWorkToo() {
            String email = newEmail();
            form("users/", Map.of("email", email, "terms_accepted", "true")).then().statusCode(201)
                    .body("email", equalTo(email));
            assertThat(email(email, 1).code()).hasSize(6);
        }

        @Test
        void termsMustBeAccepted() {
            String email = newEmail();
            int before = realm.admin().countUsers();
            post("users/", Map.of("email", email, "terms_accepted", false)).then().statusCode(400)
                    .body(equalTo("{\"terms_accepted\":[\"You must accept the terms and conditions.\"]}"));
            post("users/", Map.of("email", email)).then().statusCode(400)
                    .body(equalTo("{\"terms_accepted\":[\"This field is required.\"]}"));
            // An HTML form leaves an unticked checkbox out: that is "false", not "missing".
            form("users/", Map.of("email", email)).then().statusCode(400)
                    .body(equalTo("{\"terms_accepted\":[\"You must accept the terms and conditions.\"]}"));
            assertThat(realm.admin().countUsers()).isEqualTo(before);
            assertEmailCount(email, 0);
        }

        @Test
        void aKnownEmailIs400InAnyCaseAndCreatesNothing() {
            String email = newEmail();
            register(email);
            int before = realm.admin().countUsers();
            post("users/", Map.of("email", email.toUpperCase(), "terms_accepted", true)).then().statusCode(400)
                    .body(equalTo("{\"email\":[\"user with this email address already exists.\"]}"));
            post("users/", Map.of("email", email, "terms_accepted", false)).then().statusCode(400)
                    .body(equalTo("{\"email\":[\"user with this email address already exists.\"],"
                            + "\"terms_accepted\":[\"You must accept the terms and conditions.\"]}"));
            assertThat(realm.admin().countUsers()).isEqualTo(before);
            assertEmailCount(email, 1);
        }

        @ParameterizedTest
        @ValueSource(strings = {"not-an-email", "a@b", "x@example..test", "<script>@example.test", "a b@example.test"})
        void invalidEmailsAre400(String email) {
            post("users/", Map.of("email", email, "terms_accepted", true)).then().statusCode(400)
                    .body(equalTo("{\"email\":[\"Enter a valid email address.\"]}"));
        }

        @Test
        void concurrentRegistrationsOfOneEmailCreateExactlyOneUser() throws Exception {
            String email = newEmail();
            List<Integer> statuses = parallel(12, () -> post("users/",
                    Map.of("email", email, "terms_accepted", true)).statusCode());
            assertThat(statuses).containsOnly(201, 400);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(realm.admin().findUsers(Map.of("email", email, "exact", true))).hasSize(1);
        }

        @Test
        void aFailedSendLeavesNoAccountBehind() {
            String email = newEmail();
            JsonNode smtp = realm.admin().realm().path("smtpServer");
            realm.admin().updateRealm(Map.of("smtpServer", Map.of("host", "127.0.0.1", "port", "1", "from", "noreply@example.test")));
            try {
                post("users/", Map.of("email", email, "terms_accepted", true)).then().statusCode(503)
                        .body(equalTo("{\"detail\":\"Service temporarily unavailable, try again later.\"}"));
                assertThat(realm.admin().findUsers(Map.of("email", email, "exact", true))).isEmpty();
            } finally {
                realm.admin().updateRealm(Map.of("smtpServer", smtp));
            }
            // Nothing half-done (cooldown, lock) blocks the retry.
            post("users/", Map.of("email", email, "terms_accepted", true)).then().statusCode(201);
        }
    }

    @Nested
    class VerifyCode {

        @Test
        void theRightCodeVerifiesTheEmailOnce() {
            String email = newEmail();
            String id = register(email);
            String code = email(email, 1).code();

            Response verified = verify(email, code, "email_verification");
            verified.then().statusCode(200);
            // Beyond the seed: the token that lets this caller set the first password from another network too.
            assertThat(verified.jsonPath().getMap("")).containsOnlyKeys("detail", "set_password_token")
                    .containsEntry("detail", "ok");
            assertThat(user(id).path("emailVerified").asBoolean()).isTrue();
            assertThat(realm.admin().events("VERIFY_EMAIL"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(id));

            verify(email, code, "email_verification").then().statusCode(400).body(equalTo(INVALID_CODE));
        }

        @Test
        void codesMayBeJsonNumbersOrStringsAndTheEmailAnyCase() {
            String email = newEmail();
            String id = register(email);
            String code = email(email, 1).code();
            // As a number, leading zeros are lost; "012345" must still match 12345.
            String body = "{\"email\": \"" + email.toUpperCase() + "\", \"code\": " + Integer.parseInt(code)
                    + ", \"purpose\": \"email_verification\"}";
            post("verify-code/", body).then().statusCode(200);
            assertThat(user(id).path("emailVerified").asBoolean()).isTrue();
        }

        @Test
        void formBodiesWork() {
            String email = newEmail();
            register(email);
            form("verify-code/", Map.of("email", email, "code", email(email, 1).code(), "purpose", "email_verification"))
                    .then().statusCode(200);
        }

        @Test
        void aWrongCodeOrPurposeOrEmailIs400AndVerifiesNothing() {
            String email = newEmail();
            String id = register(email);
            String code = email(email, 1).code();
            String wrong = code.equals("000000") ? "111111" : "000000";

            verify(email, wrong, "email_verification").then().statusCode(400).body(equalTo(INVALID_CODE));
            verify(email, code, "password_recovery").then().statusCode(400).body(equalTo(INVALID_CODE));
            verify(newEmail(), code, "email_verification").then().statusCode(400).body(equalTo(INVALID_CODE));
            verify(email, code, "login").then().statusCode(400)
                    .body(equalTo("{\"purpose\":[\"\\\"login\\\" is not a valid choice.\"]}"));
            assertThat(user(id).path("emailVerified").asBoolean()).isFalse();
            assertThat(realm.admin().events("VERIFY_EMAIL_ERROR"))
                    .anySatisfy(e -> assertThat(e.path("error").asText()).isEqualTo("invalid_code"));

            // None of that used the code up.
            verify(email, code, "email_verification").then().statusCode(200);
        }

        @Test
        void theFifthWrongCodeKillsIt() {
            String email = newEmail();
            String id = register(email);
            String code = email(email, 1).code();
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 4; i++) {
                verify(email, wrong, "email_verification").then().statusCode(400).body(equalTo(INVALID_CODE));
            }
            verify(email, wrong, "email_verification").then().statusCode(400)
                    .body(equalTo("{\"code\":[\"Too many failed attempts. Request a new code.\"]}"));
            verify(email, code, "email_verification").then().statusCode(400).body(equalTo(INVALID_CODE));
            assertThat(user(id).path("emailVerified").asBoolean()).isFalse();
        }

        @Test
        void missingFieldsAre400() {
            post("verify-code/", Map.of()).then().statusCode(400).body(equalTo(
                    "{\"email\":[\"This field is required.\"],\"code\":[\"This field is required.\"],"
                            + "\"purpose\":[\"This field is required.\"]}"));
        }

        @Test
        void parallelVerificationsOfOneCodeSucceedExactlyOnce() throws Exception {
            String email = newEmail();
            register(email);
            String code = email(email, 1).code();
            // As many requests as a code has tries (more would exhaust it: the engine then fails closed).
            List<Integer> statuses = parallel(5, () -> verify(email, code, "email_verification").statusCode());
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 400).hasSize(4);
        }
    }

    @Nested
    class PublicSetPassword {

        @Test
        void setsTheFirstPasswordOnceAfterVerification() {
            String email = newEmail();
            String id = register(email);
            verify(email, email(email, 1).code(), "email_verification").then().statusCode(200);

            post("public-set-password/", Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD))
                    .then().statusCode(200).body(equalTo("{\"detail\":\"New password has been saved.\"}"));
            assertThat(hasCredential(id, "password")).isTrue();
            assertThat(realm.admin().events("UPDATE_PASSWORD"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(id));
            login(email, PASSWORD);

            post("public-set-password/", Map.of("email", email, "password", "Another-pass-7", "repeat_password", "Another-pass-7"))
                    .then().statusCode(400).body(equalTo(NOT_ALLOWED));
            login(email, PASSWORD);
        }

        @Test
        void notBeforeTheEmailIsVerified() {
            String email = newEmail();
            String id = register(email);
            post("public-set-password/", Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD))
                    .then().statusCode(400).body(equalTo(NOT_ALLOWED));
            assertThat(realm.admin().credentials(id)).isEmpty();
            post("public-set-password/", Map.of("email", newEmail(), "password", PASSWORD, "repeat_password", PASSWORD))
                    .then().statusCode(400).body(equalTo(NOT_ALLOWED));
        }

        @Test
        void mismatchAndPolicyErrorsAre400AndKeepTheRightToSetIt() {
            String email = newEmail();
            String id = register(email);
            verify(email, email(email, 1).code(), "email_verification").then().statusCode(200);

            post("public-set-password/", Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD + "x"))
                    .then().statusCode(400).body(equalTo("{\"repeat_password\":[\"The two password fields didn\u2019t match.\"]}"));
            post("public-set-password/", Map.of("email", email, "password", "1234", "repeat_password", "1234"))
                    .then().statusCode(400).body(equalTo("{\"password\":[\"This password is too short. It must contain "
                            + "at least 8 characters.\",\"This password is entirely numeric.\"]}"));
            assertThat(realm.admin().credentials(id)).isEmpty();

            form("public-set-password/", Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD))
                    .then().statusCode(200);
        }

        @Test
        void parallelRequestsSetItExactlyOnce() throws Exception {
            String email = newEmail();
            register(email);
            verify(email, email(email, 1).code(), "email_verification").then().statusCode(200);
            List<Integer> statuses = parallel(6, () -> post("public-set-password/",
                    Map.of("email", email, "password", PASSWORD, "repeat_password", PASSWORD)).statusCode());
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 400).hasSize(5);
        }
    }

    // ---- tokens ----------------------------------------------------------------------------------------------------

    @Nested
    class Jwt {

        @Test
        void obtainGivesRealKeycloakTokensAndASession() {
            Account account = account();
            Response response = post("token/obtain/", Map.of("email", account.email(), "password", PASSWORD));

            response.then().statusCode(200);
            assertThat(response.jsonPath().getMap("").keySet()).containsExactly("refresh", "access");
            JsonNode claims = Jwts.verifiedPayload(realm, response.path("access"));
            assertThat(claims.path("sub").asText()).isEqualTo(account.id());
            assertThat(claims.path("azp").asText()).isEqualTo("email-signup");
            assertThat(claims.path("email").asText()).isEqualTo(account.email());
            assertThat(claims.path("email_verified").asBoolean()).isTrue();
            assertThat(Jwts.payload(response.path("refresh")).path("typ").asText()).isEqualTo("Refresh");

            given().auth().oauth2(response.path("access")).get(realm.realmUrl() + "/protocol/openid-connect/userinfo")
                    .then().statusCode(200).body("sub", equalTo(account.id()));
            assertThat(realm.admin().userSessions(account.id())).hasSize(1);
            assertThat(realm.admin().events("LOGIN")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(account.id());
                assertThat(e.path("clientId").asText()).isEqualTo("email-signup");
            });
        }

        @Test
        void formBodiesAndAnyEmailCaseWork() {
            Account account = account();
            form("token/obtain/", Map.of("email", account.email().toUpperCase(), "password", PASSWORD))
                    .then().statusCode(200).body("access", notNullValue());
        }

        @Test
        void wrongPasswordUnknownEmailAndPasswordlessAccountsAre401() {
            Account account = account();
            post("token/obtain/", Map.of("email", account.email(), "password", "Wrong-pass-1"))
                    .then().statusCode(401).body(equalTo(NO_ACCOUNT));
            post("token/obtain/", Map.of("email", newEmail(), "password", PASSWORD))
                    .then().statusCode(401).body(equalTo(NO_ACCOUNT));
            String unverified = newEmail();
            register(unverified);
            post("token/obtain/", Map.of("email", unverified, "password", PASSWORD))
                    .then().statusCode(401).body(equalTo(NO_ACCOUNT));
            assertThat(realm.admin().userSessions(account.id())).isEmpty();
            assertThat(realm.admin().events("LOGIN_ERROR"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.id()));
        }

        @Test
        void aDisabledUserGetsNoTokens() {
            Account account = account();
            realm.admin().updateUser(account.id(), Map.of("enabled", false));
            post("token/obtain/", Map.of("email", account.email(), "password", PASSWORD))
                    .then().statusCode(401).body(equalTo(NO_ACCOUNT));
        }

        @Test
        void missingFieldsAre400() {
            post("token/obtain/", Map.of()).then().statusCode(400)
                    .body(equalTo("{\"email\":[\"This field is required.\"],\"password\":[\"This field is required.\"]}"));
            post("token/verify/", Map.of()).then().statusCode(400).body(equalTo("{\"token\":[\"This field is required.\"]}"));
            post("token/refresh/", Map.of()).then().statusCode(400).body(equalTo("{\"refresh\":[\"This field is required.\"]}"));
        }

        @Test
        void verifyAcceptsLiveTokensOnly() {
            Account account = account();
            Tokens tokens = login(account);
            post("token/verify/", Map.of("token", tokens.access())).then().statusCode(200).body(equalTo("{}"));
            post("token/verify/", Map.of("token", tokens.refresh())).then().statusCode(200).body(equalTo("{}"));
            post("token/verify/", Map.of("token", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.XKxJ9JXUiFDc_twllkESrDxjWLphv7KzH4ikaHcAlOE"))
                    .then().statusCode(401).body(equalTo(TOKEN_NOT_VALID));
            post("token/verify/", Map.of("token", "garbage")).then().statusCode(401).body(equalTo(TOKEN_NOT_VALID));

            realm.admin().logoutUser(account.id());
            post("token/verify/", Map.of("token", tokens.access())).then().statusCode(401).body(equalTo(TOKEN_NOT_VALID));
        }

        @Test
        void refreshRotatesAndEachRefreshTokenWorksOnce() {
            Account account = account();
            Tokens tokens = login(account);
            Response refreshed = post("token/refresh/", Map.of("refresh", tokens.refresh()));
            refreshed.then().statusCode(200);
            assertThat(refreshed.jsonPath().getMap("").keySet()).containsExactly("access", "refresh");
            assertThat(Jwts.verifiedPayload(realm, refreshed.path("access")).path("sub").asText()).isEqualTo(account.id());

            post("token/refresh/", Map.of("refresh", tokens.refresh())).then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer realm=\"api\"").body(equalTo(TOKEN_BLACKLISTED));
            post("token/refresh/", Map.of("refresh", refreshed.path("refresh"))).then().statusCode(200);
            post("token/refresh/", Map.of("refresh", tokens.access())).then().statusCode(401)
                    .body(equalTo("{\"detail\":\"Token has wrong type\",\"code\":\"token_not_valid\"}"));
        }

        @Test
        void failedLoginsCountTowardsBruteForceDetection() {
            Account account = account();
            for (int i = 0; i < 3; i++) {
                post("token/obtain/", Map.of("email", account.email(), "password", "Wrong-pass-" + i))
                        .then().statusCode(401).body(equalTo(NO_ACCOUNT));
            }
            awaitLocked(account.id());
            post("token/obtain/", Map.of("email", account.email(), "password", PASSWORD))
                    .then().statusCode(401).body(equalTo(NO_ACCOUNT));
            assertThat(realm.admin().events("LOGIN_ERROR"))
                    .anySatisfy(e -> assertThat(e.path("error").asText()).isEqualTo("user_temporarily_disabled"));
            assertThat(realm.admin().userSessions(account.id())).isEmpty();
        }
    }

    /** Keycloak's detector records failures in the background: wait until it reports the user locked. */
    void awaitLocked(String userId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = readTree(realm.admin().request().get("/attack-detection/brute-force/users/{id}", userId)
                    .then().statusCode(200).extract().asString());
            if (status.path("disabled").asBoolean()) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("brute-force detector never locked " + userId);
    }

    static JsonNode readTree(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- recovery --------------------------------------------------------------------------------------------------

    @Nested
    class Recovery {

        static final String SENT = "{\"detail\":\"Password reset e-mail has been sent.\"}";

        @Test
        void theSeedsThreeStepsResetThePasswordAndEndEverySession() {
            Account account = account();
            Tokens first = login(account);
            login(account);
            assertThat(realm.admin().userSessions(account.id())).hasSize(2);

            post("recovery-request/", Map.of("email", account.email())).then().statusCode(200).body(equalTo(SENT));
            MailServer.Email sent = email(account.email(), 2);
            assertThat(sent.subject()).isEqualTo("Your Email Signup Test password reset code");
            String code = sent.code();

            verify(account.email(), Integer.parseInt(code), "password_recovery").then().statusCode(200)
                    .body(equalTo("{\"detail\":\"ok\"}"));
            post("recovery-reset-password/", Map.of("email", account.email(), "code", Integer.parseInt(code),
                    "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4"))
                    .then().statusCode(200).body(equalTo("{\"detail\":\"Password has been reset with the new password.\"}"));

            assertThat(realm.admin().userSessions(account.id())).isEmpty();
            post("token/verify/", Map.of("token", first.access())).then().statusCode(401);
            post("token/obtain/", Map.of("email", account.email(), "password", PASSWORD)).then().statusCode(401);
            login(account.email(), "Brand-new-pass-4");
            assertThat(realm.admin().events("SEND_RESET_PASSWORD"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.id()));
            assertThat(realm.admin().events("RESET_PASSWORD"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.id()));
            assertThat(realm.admin().events("UPDATE_PASSWORD")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(account.id());
                assertThat(e.path("details").path("recovery").asText()).isEqualTo("true");
            });

            // The code reset the password once; it does not do it again.
            post("recovery-reset-password/", Map.of("email", account.email(), "code", code,
                    "password", "Another-pass-5", "password2", "Another-pass-5")).then().statusCode(400).body(equalTo(INVALID_CODE));
        }

        @Test
        void unknownEmailsGetTheSameAnswerAndNoEmail() {
            String unknown = newEmail();
            post("recovery-request/", Map.of("email", unknown)).then().statusCode(200).body(equalTo(SENT));
            assertEmailCount(unknown, 0);
            assertThat(realm.admin().events("SEND_RESET_PASSWORD_ERROR"))
                    .anySatisfy(e -> assertThat(e.path("error").asText()).isEqualTo("user_not_found"));
        }

        @Test
        void aSecondRequestWithinTheCooldownIs429ForKnownAndUnknownAlike() {
            Account account = account();
            String unknown = newEmail();
            for (String email : List.of(account.email(), unknown)) {
                post("recovery-request/", Map.of("email", email)).then().statusCode(200);
                post("recovery-request/", Map.of("email", email)).then().statusCode(429)
                        .header("Retry-After", notNullValue())
                        .body("detail", startsWith("Request was throttled. Expected available in "));
            }
        }

        @Test
        void resetNeedsTheCodeVerifiedFirst() {
            Account account = account();
            post("recovery-request/", Map.of("email", account.email())).then().statusCode(200);
            String code = email(account.email(), 2).code();
            post("recovery-reset-password/", Map.of("email", account.email(), "code", code,
                    "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4")).then().statusCode(400).body(equalTo(INVALID_CODE));
            // The refused reset did not use the code up.
            verify(account.email(), code, "password_recovery").then().statusCode(200);
            post("recovery-reset-password/", Map.of("email", account.email(), "code", code,
                    "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4")).then().statusCode(200);
        }

        @Test
        void wrongCodesAtResetAreLimitedAndMismatchOrPolicyKeepTheGrant() {
            Account account = account();
            post("recovery-request/", Map.of("email", account.email())).then().statusCode(200);
            String code = email(account.email(), 2).code();
            verify(account.email(), code, "password_recovery").then().statusCode(200);
            String wrong = code.equals("000000") ? "111111" : "000000";

            post("recovery-reset-password/", Map.of("email", account.email(), "code", code,
                    "password", "Brand-new-pass-4", "password2", "Brand-new-pass-5")).then().statusCode(400)
                    .body(equalTo("{\"password2\":[\"The two password fields didn\u2019t match.\"]}"));
            post("recovery-reset-password/", Map.of("email", account.email(), "code", code,
                    "password", "short", "password2", "short")).then().statusCode(400)
                    .body(equalTo("{\"password\":[\"This password is too short. It must contain at least 8 characters.\"]}"));
            // Brute-force detection would lock the account after 3 wrong codes (next test): off here, to reach the
            // limit of the grant itself.
            realm.admin().updateRealm(Map.of("bruteForceProtected", false));
            try {
                for (int i = 0; i < 4; i++) {
                    post("recovery-reset-password/", Map.of("email", account.email(), "code", wrong,
                            "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4")).then().statusCode(400).body(equalTo(INVALID_CODE));
                }
                // The right code with a weak password did not count: the fifth wrong code is the last.
                post("recovery-reset-password/", Map.of("email", account.email(), "code", wrong,
                        "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4")).then().statusCode(400)
                        .body(equalTo("{\"code\":[\"Too many failed attempts. Request a new code.\"]}"));
                post("recovery-reset-password/", Map.of("email", account.email(), "code", code,
                        "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4")).then().statusCode(400).body(equalTo(INVALID_CODE));
            } finally {
                realm.admin().updateRealm(Map.of("bruteForceProtected", true));
            }
            login(account);
        }

        @Test
        void wrongCodesCountTowardsBruteForceDetection() {
            Account account = account();
            post("recovery-request/", Map.of("email", account.email())).then().statusCode(200);
            String code = email(account.email(), 2).code();
            verify(account.email(), code, "password_recovery").then().statusCode(200);
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 3; i++) {
                post("recovery-reset-password/", Map.of("email", account.email(), "code", wrong,
                        "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4")).then().statusCode(400);
            }
            awaitLocked(account.id());
            post("recovery-reset-password/", Map.of("email", account.email(), "code", code,
                    "password", "Brand-new-pass-4", "password2", "Brand-new-pass-4")).then().statusCode(400).body(equalTo(INVALID_CODE));
            post("token/obtain/", Map.of("email", account.email(), "password", PASSWORD)).then().statusCode(401);
        }

        @Test
        void recoveryAlsoRescuesAnAccountThatNeverGotItsSignUpCode() {
            String email = newEmail();
            String id = register(email);
            post("recovery-request/", Map.of("email", email)).then().statusCode(200);
            String code = email(email, 2).code();
            verify(email, code, "password_recovery").then().statusCode(200);
            assertThat(user(id).path("emailVerified").asBoolean()).as("receiving the code proves the address").isTrue();
            form("recovery-reset-password/", Map.of("email", email, "code", code, "password", PASSWORD, "password2", PASSWORD))
                    .then().statusCode(200);
            login(email, PASSWORD);
        }
    }

    // ---- PIN -------------------------------------------------------------------------------------------------------

    @Nested
    class Pin {

        @Test
        void aFirstPinIsStoredHashedAsAKeycloakCredential() throws Exception {
            Account account = account();
            String access = login(account).access();

            bearer(access).body(Map.of("pin", "4821")).post(url("pin/")).then().statusCode(204);

            JsonNode pin = realm.admin().credentials(account.id()).stream()
                    .filter(c -> c.path("type").asText().equals("dropin-pin")).findFirst().orElseThrow();
            JsonNode data = readTree(pin.path("credentialData").asText());
            assertThat(data.path("algorithm").asText()).isEqualTo("argon2");
            assertThat(pin.toString()).doesNotContain("4821");
            assertThat(realm.admin().events("UPDATE_CREDENTIAL")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(account.id());
                assertThat(e.path("details").path("credential_type").asText()).isEqualTo("dropin-pin");
            });
            assertNotStoredInPlainText(pin.path("id").asText(), "4821");

            bearer(access).body(Map.of("pin", "4821")).post(url("pin/check/")).then().statusCode(200)
                    .body(equalTo("{\"valid\":true}"));
            bearer(access).body(Map.of("pin", "4822")).post(url("pin/check/")).then().statusCode(400)
                    .body(equalTo("{\"pin\":[\"Invalid PIN.\"]}"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"123", "1234567", "12a4", "١٢٣٤", " ", "-1234"})
        void aPinIsFourToSixDigits(String pin) {
            Account account = account();
            String access = login(account).access();
            bearer(access).body(Map.of("pin", pin)).post(url("pin/")).then().statusCode(400)
                    .body(pin.isBlank() ? equalTo("{\"pin\":[\"This field may not be blank.\"]}")
                            : equalTo("{\"pin\":[\"Enter a PIN of 4 to 6 digits.\"]}"));
            assertThat(hasCredential(account.id(), "dropin-pin")).isFalse();
        }

        @Test
        void changingAPinNeedsTheCurrentOne() {
            Account account = account();
            String access = login(account).access();
            bearer(access).body(Map.of("pin", "135790")).post(url("pin/")).then().statusCode(204);

            bearer(access).body(Map.of("pin", "2468")).post(url("pin/")).then().statusCode(400)
                    .body(equalTo("{\"current_pin\":[\"This field is required.\"]}"));
            bearer(access).body(Map.of("pin", "2468", "current_pin", "135791")).post(url("pin/")).then().statusCode(400)
                    .body(equalTo("{\"current_pin\":[\"Invalid PIN.\"]}"));
            bearer(access).body(Map.of("pin", "2468", "current_pin", "135790")).post(url("pin/")).then().statusCode(204);
            bearer(access).body(Map.of("pin", "2468")).post(url("pin/check/")).then().statusCode(200);
            bearer(access).body(Map.of("pin", "135790")).post(url("pin/check/")).then().statusCode(400);
        }

        @Test
        void checkingWithoutAPinIs400() {
            Account account = account();
            bearer(login(account).access()).body(Map.of("pin", "1234")).post(url("pin/check/")).then().statusCode(400)
                    .body(equalTo("{\"non_field_errors\":[\"No PIN is set for this account.\"]}"));
        }

        @Test
        void fiveWrongPinsLockChecksUntilAResetByEmail() {
            Account account = account();
            String access = login(account).access();
            bearer(access).body(Map.of("pin", "7391")).post(url("pin/")).then().statusCode(204);
            for (int i = 0; i < 5; i++) {
                bearer(access).body(Map.of("pin", "000" + i)).post(url("pin/check/")).then().statusCode(400);
            }
            bearer(access).body(Map.of("pin", "7391")).post(url("pin/check/")).then().statusCode(429)
                    .header("Retry-After", notNullValue())
                    .body("detail", startsWith("Request was throttled. Expected available in "));
            bearer(access).body(Map.of("pin", "1111", "current_pin", "7391")).post(url("pin/")).then().statusCode(429);

            // The seed's PIN reset: a code by email, then a new PIN without the old one, which also lifts the lock.
            bearer(access).post(url("reset-pin-request/")).then().statusCode(200)
                    .body(equalTo("{\"detail\":\"PIN reset code has been sent.\"}"));
            MailServer.Email sent = email(account.email(), 2);
            assertThat(sent.subject()).isEqualTo("Your Email Signup Test PIN reset code");
            bearer(access).body(Map.of("code", sent.code())).post(url("reset-pin-verify/")).then().statusCode(200)
                    .body(equalTo("{\"detail\":\"ok\"}"));
            bearer(access).body(Map.of("pin", "8642")).post(url("pin/")).then().statusCode(204);
            bearer(access).body(Map.of("pin", "8642")).post(url("pin/check/")).then().statusCode(200);
            assertThat(realm.admin().events("LOGIN_ERROR")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(account.id());
                assertThat(e.path("details").path("credential_type").asText()).isEqualTo("dropin-pin");
            });
        }

        @Test
        void aVerifiedResetCodeAuthorisesOneNewPin() {
            Account account = account();
            String access = login(account).access();
            bearer(access).body(Map.of("pin", "5555")).post(url("pin/")).then().statusCode(204);
            bearer(access).post(url("reset-pin-request")).then().statusCode(200);
            String code = email(account.email(), 2).code();
            String wrong = code.equals("000000") ? "111111" : "000000";

            bearer(access).body(Map.of("code", wrong)).post(url("reset-pin-verify/")).then().statusCode(400).body(equalTo(INVALID_CODE));
            bearer(access).body(Map.of("code", Integer.parseInt(code))).post(url("reset-pin-verify/")).then().statusCode(200);
            bearer(access).body(Map.of("code", code)).post(url("reset-pin-verify/")).then().statusCode(400).body(equalTo(INVALID_CODE));

            bearer(access).body(Map.of("pin", "6666")).post(url("pin/")).then().statusCode(204);
            bearer(access).body(Map.of("pin", "7777")).post(url("pin/")).then().statusCode(400)
                    .body(equalTo("{\"current_pin\":[\"This field is required.\"]}"));
        }

        @Test
        void pinEndpointsNeedAValidAccessToken() {
            given().post(url("reset-pin-request/")).then().statusCode(401).body(equalTo(NOT_PROVIDED));
            given().header("Authorization", "Bearer nonsense").post(url("reset-pin-verify/")).then().statusCode(401)
                    .body("code", equalTo("token_not_valid"))
                    .body("detail", equalTo("Given token not valid for any token type"));
            given().header("Authorization", "Token abc").contentType(ContentType.JSON).body(Map.of("pin", "1234"))
                    .post(url("pin/")).then().statusCode(401).body(equalTo(NOT_PROVIDED));
            Account account = account();
            Tokens tokens = login(account);
            realm.admin().logoutUser(account.id());
            bearer(tokens.access()).body(Map.of("pin", "1234")).post(url("pin/check/")).then().statusCode(401)
                    .body("code", equalTo("token_not_valid"));
        }
    }

    /**
     * Looks into the server's dev-file database: once the credential's row is on disk, its PIN must not be. Only for
     * the distribution runtime, whose database file the tests can read.
     */
    void assertNotStoredInPlainText(String credentialId, String pin) throws Exception {
        String runDir = System.getProperty("dropin.it.runDir");
        Path db = runDir == null ? null : Path.of(runDir, "data", "h2", "keycloakdb.mv.db");
        if (db == null || !Files.exists(db) || !"distribution".equals(System.getProperty("dropin.it.runtime", "distribution"))) {
            return;
        }
        byte[] id = credentialId.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        byte[] content = Files.readAllBytes(db);
        while (indexOf(content, id) < 0 && System.nanoTime() < deadline) {
            sleep(500);
            content = Files.readAllBytes(db);
        }
        assertThat(indexOf(content, id)).as("credential row written to " + db).isGreaterThanOrEqualTo(0);
        assertThat(indexOf(content, ("\"value\":\"" + pin + "\"").getBytes(StandardCharsets.UTF_8))).isLessThan(0);
        assertThat(indexOf(content, "argon2".getBytes(StandardCharsets.UTF_8))).isGreaterThanOrEqualTo(0);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- Djoser ----------------------------------------------------------------------------------------------------

    @Nested
    class Djoser {

        @Test
        void aUserSeesOnlyItself() {
            Account account = account();
            Account other = account();
            String access = login(account).access();
            String me = "{\"id\":\"" + account.id() + "\",\"email\":\"" + account.email() + "\"}";

            bearer(access).get(url("users/")).then().statusCode(200).body(equalTo("[" + me + "]"));
            bearer(access).get(url("users/me/")).then().statusCode(200).body(equalTo(me));
            bearer(access).get(url("users/" + account.id() + "/")).then().statusCode(200).body(equalTo(me));
            bearer(access).get(url("users/" + other.id() + "/")).then().statusCode(404).body(equalTo("{\"detail\":\"Not found.\"}"));
            bearer(access).get(url("users/" + UUID.randomUUID() + "/")).then().statusCode(404);
            given().get(url("users/")).then().statusCode(401).body(equalTo(NOT_PROVIDED));
            given().get(url("users/me")).then().statusCode(401).body(equalTo(NOT_PROVIDED));
        }

        @Test
        void updatesValidateButTheLoginEmailIsReadOnly() {
            Account account = account();
            String access = login(account).access();
            String me = "{\"id\":\"" + account.id() + "\",\"email\":\"" + account.email() + "\"}";
            bearer(access).body(Map.of("email", newEmail())).put(url("users/me/")).then().statusCode(200).body(equalTo(me));
            bearer(access).body(Map.of("email", newEmail())).patch(url("users/" + account.id() + "/")).then().statusCode(200)
                    .body(equalTo(me));
            bearer(access).body("[1, 2]").patch(url("users/me/")).then().statusCode(400)
                    .body(equalTo("{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got list.\"]}"));
            assertThat(user(account.id()).path("email").asText()).isEqualTo(account.email());
            assertThat(realm.admin().events("UPDATE_PROFILE"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.id()));
            bearer(access).body("{}").post(url("users/me/")).then().statusCode(405)
                    .header("Allow", "DELETE, GET, HEAD, OPTIONS, PATCH, PUT")
                    .body(equalTo("{\"detail\":\"Method \\\"POST\\\" not allowed.\"}"));
        }

        @Test
        void deleteNeedsTheCurrentPasswordAndRemovesTheKeycloakUser() {
            Account account = account();
            Account other = account();
            String access = login(account).access();

            bearer(access).delete(url("users/me/")).then().statusCode(400)
                    .body(equalTo("{\"current_password\":[\"This field is required.\"]}"));
            bearer(access).body(Map.of("current_password", "Wrong-pass-1")).delete(url("users/me/")).then().statusCode(400)
                    .body(equalTo("{\"current_password\":[\"Invalid password.\"]}"));
            // Djoser's permission: someone else's account is 403 (an unknown id 404), whatever the body.
            bearer(access).body(Map.of("current_password", PASSWORD)).delete(url("users/" + other.id() + "/"))
                    .then().statusCode(403).body(equalTo("{\"detail\":\"You do not have permission to perform this action.\"}"));
            bearer(access).delete(url("users/" + other.id() + "/")).then().statusCode(403);
            bearer(access).body(Map.of("current_password", PASSWORD)).delete(url("users/" + java.util.UUID.randomUUID() + "/"))
                    .then().statusCode(404);
            assertThat(realm.admin().userByUsername(other.email())).isPresent();

            bearer(access).body(Map.of("current_password", PASSWORD)).delete(url("users/me/")).then().statusCode(204);
            assertThat(realm.admin().userByUsername(account.email())).isEmpty();
            post("token/verify/", Map.of("token", access)).then().statusCode(401);
            assertThat(realm.admin().events("DELETE_ACCOUNT"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.id()));
        }

        @Test
        void deleteByIdWithAFormBody() {
            Account account = account();
            given().header("Authorization", "Bearer " + login(account).access())
                    .formParam("current_password", PASSWORD).delete(url("users/" + account.id()))
                    .then().statusCode(204);
            assertThat(realm.admin().userByUsername(account.email())).isEmpty();
        }

        @Test
        void setPasswordChecksBothFieldsAndEndsOtherSessions() {
            Account account = account();
            Tokens other = login(account);
            String access = login(account).access();

            // Djoser's order: the fields first (the current password must be right), the new one's strength after.
            bearer(access).body(Map.of("current_password", "Wrong-pass-1", "new_password", "1234")).post(url("users/set_password/"))
                    .then().statusCode(400).body(equalTo("{\"current_password\":[\"Invalid password.\"]}"));
            bearer(access).body(Map.of("current_password", "Wrong-pass-1")).post(url("users/set_password/"))
                    .then().statusCode(400).body(equalTo("{\"new_password\":[\"This field is required.\"],"
                            + "\"current_password\":[\"Invalid password.\"]}"));
            bearer(access).body(Map.of("current_password", PASSWORD, "new_password", "1234")).post(url("users/set_password/"))
                    .then().statusCode(400).body(equalTo("{\"new_password\":"
                            + "[\"This password is too short. It must contain at least 8 characters.\",\"This password is entirely numeric.\"]}"));
            bearer(access).body(Map.of("current_password", PASSWORD, "new_password", "Fresh-pass-22")).post(url("users/set_password/"))
                    .then().statusCode(204).body(equalTo(""));

            post("token/obtain/", Map.of("email", account.email(), "password", PASSWORD)).then().statusCode(401);
            post("token/verify/", Map.of("token", other.access())).then().statusCode(401);
            post("token/verify/", Map.of("token", access)).then().statusCode(200);
            login(account.email(), "Fresh-pass-22");
            bearer(access).body(Map.of()).get(url("users/set_password/")).then().statusCode(405);
        }
    }

    // ---- framework conventions -------------------------------------------------------------------------------------

    @Nested
    class BadInput {

        @Test
        void malformedBodiesAre4xxInDrfShape() {
            post("users/", "{\"email\": ").then().statusCode(400).body("detail", startsWith("JSON parse error - "));
            post("users/", "[\"a@example.test\"]").then().statusCode(400)
                    .body(equalTo("{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got list.\"]}"));
            given().contentType(ContentType.TEXT).body("email=a@example.test").post(url("users/")).then().statusCode(415)
                    .body(equalTo("{\"detail\":\"Unsupported media type \\\"text/plain; charset=ISO-8859-1\\\" in request.\"}"));
            post("verify-code/", "{\"email\": \"a@example.test\", \"code\": [1], \"purpose\": null}").then().statusCode(400)
                    .body(equalTo("{\"code\":[\"Not a valid string.\"],\"purpose\":[\"This field may not be null.\"]}"));
            post("token/obtain/", "{\"email\": \"" + "x".repeat(70_000) + "\"}").then().statusCode(413);
            post("users/", Map.of("email", "a\u0000b@example.test", "terms_accepted", true)).then().statusCode(400)
                    .body(equalTo("{\"email\":[\"Null characters are not allowed.\",\"Enter a valid email address.\"]}"));
        }

        @Test
        void pathsWorkWithAndWithoutTrailingSlashAndUnknownOnesAre404() {
            Account account = account();
            post("token/obtain", Map.of("email", account.email(), "password", PASSWORD)).then().statusCode(200);
            given().get(url("token/obtain/")).then().statusCode(405).header("Allow", "OPTIONS, POST")
                    .body(equalTo("{\"detail\":\"Method \\\"GET\\\" not allowed.\"}"));
            given().get(url("nothing/")).then().statusCode(404).body(equalTo("{\"detail\":\"Not found.\"}"));
        }
    }
}
