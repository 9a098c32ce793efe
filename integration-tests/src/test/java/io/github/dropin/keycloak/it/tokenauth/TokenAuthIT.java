package io.github.dropin.keycloak.it.tokenauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Dialect {@code token-auth} (SPEC §4.1, seed 000) against a real Keycloak: every row with JSON and form bodies,
 * the seed's and DRF's bodies, codes by SMS (log sender) and by email (a real SMTP server), and Keycloak's state
 * afterwards. The fixture has the password policy {@code length(8) and notUsername and notEntirelyNumeric} and
 * brute-force detection on (3 failures lock for 60 s).
 */
@KeycloakRealm("realms/token-auth.json")
class TokenAuthIT {

    static final String REGISTER = "/token-auth/api/register/";
    static final String VERIFY = "/token-auth/api/verify-user/";
    static final String RESEND = "/token-auth/api/resend-code/";
    static final String LOGIN = "/token-auth/api/login/";
    static final String LOGOUT = "/token-auth/api/logout/";
    static final String CHANGE_PASSWORD = "/token-auth/api/change-password/";
    static final String PROFILE = "/token-auth/api/profile/";
    static final String PASSWORD = "correct horse 42";
    static final String REGISTERED = "{\"success_message\":\"Successfully Registered. A verification code is sent to your "
            + "given Phone Number/Email. Please verify your Phone Number/Email.\"}";
    static final String VERIFIED = "{\"success_message\":\"Successfully Verified. You can now log in.\"}";
    static final String BAD_CREDENTIALS = "{\"error_message\":{\"non_field_errors\":[\"Unable to log in with provided credentials.\"]}}";
    static final String NOT_VERIFIED = "{\"error_message\":{\"non_field_errors\":[\"Account is not verified. Please verify your Phone Number/Email.\"]}}";
    static final String INVALID_CODE = "{\"error_message\":{\"code\":[\"Invalid or expired verification code.\"]}}";
    static final String INVALID_TOKEN = "{\"detail\":\"Invalid token.\"}";
    static final Duration QUIET = Duration.ofSeconds(2);
    private static final AtomicInteger NEXT = new AtomicInteger();

    final TestRealm realm;
    final SmsInbox inbox;
    final MailServer mail;

    TokenAuthIT(TestRealm realm, SmsInbox inbox, MailServer mail) {
        this.realm = realm;
        this.inbox = inbox;
        this.mail = mail;
    }

    static String newUsername() {
        return "tok" + System.nanoTime() % 1_000_000_000L + "_" + NEXT.incrementAndGet();
    }

    static String newEmail() {
        return "person" + System.nanoTime() % 1_000_000_000L + "." + NEXT.incrementAndGet() + "@example.test";
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    RequestSpecification withKey(String key) {
        return given().header("Authorization", "Token " + key);
    }

    static Map<String, Object> registration(String username, String phone, String email) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", PASSWORD);
        body.put("phone_number", phone);
        body.put("email", email);
        return body;
    }

    /** A user registered with a phone number, before verification; returns username, phone, id and the SMS code. */
    Map<String, String> registerWithPhone() {
        String username = newUsername();
        String phone = Phones.next();
        post(REGISTER, registration(username, phone, "")).then().statusCode(200).body(equalTo(REGISTERED));
        String code = inbox.awaitSms(realm.name(), phone).code();
        String id = realm.admin().userByUsername(username).orElseThrow().path("id").asText();
        return Map.of("username", username, "phone", phone, "id", id, "code", code);
    }

    /** A verified account (by SMS) and a key of a fresh session. */
    Map<String, String> signedIn() {
        Map<String, String> account = new HashMap<>(registerWithPhone());
        post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(200);
        account.put("key", login(account.get("username")));
        return account;
    }

    String login(String username) {
        Response response = post(LOGIN, Map.of("username", username, "password", PASSWORD));
        response.then().statusCode(200);
        return response.path("token");
    }

    JsonNode user(String id) {
        return realm.admin().user(id);
    }

    static String attribute(JsonNode user, String name) {
        return user.path("attributes").path(name).path(0).asText(null);
    }

    static List<String> errors(List<JsonNode> events, String userId) {
        return events.stream().filter(e -> userId.equals(e.path("userId").asText())).map(e -> e.path("error").asText()).toList();
    }

    @Nested
    class Register {

        @Test
        void withAPhoneNumberCreatesAnUnverifiedUserAndTextsAFiveDigitCode() {
            String username = newUsername();
            String phone = Phones.next();

            post(REGISTER, registration(username, Phones.spaced(phone), "")).then().statusCode(200)
                    .contentType(ContentType.JSON).body(equalTo(REGISTERED));

            JsonNode user = realm.admin().userByUsername(username).orElseThrow();
            String id = user.path("id").asText();
            assertThat(user.path("enabled").asBoolean()).isTrue();
            assertThat(user.path("email").asText("")).isEmpty();
            assertThat(attribute(user, "phoneNumber")).isEqualTo(phone);
            assertThat(attribute(user, "phoneNumberVerified")).isEqualTo("false");
            assertThat(realm.admin().credentials(id)).extracting(c -> c.path("type").asText()).containsExactly("password");
            assertThat(realm.admin().userSessions(id)).isEmpty();

            SmsInbox.Sms sms = inbox.awaitSms(realm.name(), phone);
            assertThat(sms.purpose()).isEqualTo("registration");
            assertThat(sms.code()).matches("\\d{5}");
            assertThat(realm.admin().events("REGISTER")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(id);
                assertThat(e.path("clientId").asText()).isEqualTo("token-auth");
                assertThat(e.path("details").path("register_method").asText()).isEqualTo("token-auth");
            });
        }

        @Test
        void withAnEmailSendsTheCodeThroughTheRealmsSmtpServer() {
            String username = newUsername();
            String email = newEmail();

            given().formParams(Map.of("username", username, "password", PASSWORD, "phone_number", "", "email", email))
                    .post(realm.realmUrl() + REGISTER).then().statusCode(200).body(equalTo(REGISTERED));

            JsonNode user = realm.admin().userByUsername(username).orElseThrow();
            assertThat(user.path("email").asText()).isEqualTo(email);
            assertThat(user.path("emailVerified").asBoolean()).isFalse();
            assertThat(attribute(user, "phoneNumber")).isNull();
            MailServer.Email message = mail.awaitEmail(email);
            assertThat(message.from()).isEqualTo("noreply@example.test");
            assertThat(message.code()).matches("\\d{5}");
        }

        @Test
        void withBothEachChannelGetsItsOwnCode() {
            String username = newUsername();
            String phone = Phones.next();
            String email = newEmail();

            post(REGISTER, registration(username, phone, email)).then().statusCode(200).body(equalTo(REGISTERED));

            String smsCode = inbox.awaitSms(realm.name(), phone).code();
            String emailCode = mail.awaitEmail(email).code();
            assertThat(smsCode).matches("\\d{5}").isNotEqualTo(emailCode);
            assertThat(emailCode).matches("\\d{5}");
        }

        @Test
        void aTakenUsernameIs400InAnyCaseAndSendsNothing() {
            Map<String, String> account = registerWithPhone();
            int before = realm.admin().countUsers();
            String phone = Phones.next();

            post(REGISTER, registration(account.get("username").toUpperCase(), phone, "")).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"username\":[\"A user with that username already exists.\"]}}"));

            assertThat(realm.admin().countUsers()).isEqualTo(before);
            inbox.assertNoSms(realm.name(), phone, QUIET);
            assertThat(realm.admin().events("REGISTER_ERROR"))
                    .anySatisfy(e -> assertThat(e.path("error").asText()).isEqualTo("username_in_use"));
        }

        @Test
        void aTakenPhoneNumberOrEmailIs400() {
            Map<String, String> account = registerWithPhone();
            post(REGISTER, registration(newUsername(), Phones.spaced(account.get("phone")), "")).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"phone_number\":[\"A user with that phone number already exists.\"]}}"));

            String email = newEmail();
            post(REGISTER, registration(newUsername(), "", email)).then().statusCode(200);
            int before = realm.admin().countUsers();
            post(REGISTER, registration(newUsername(), "", email.toUpperCase())).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"email\":[\"A user with that email already exists.\"]}}"));
            assertThat(realm.admin().countUsers()).isEqualTo(before);
        }

        @Test
        void neitherPhoneNorEmailIs400() {
            String expected = "{\"error_message\":{\"non_field_errors\":[\"Please provide a Phone Number or an Email.\"]}}";
            String username = newUsername();
            post(REGISTER, registration(username, "", "")).then().statusCode(400).body(equalTo(expected));
            post(REGISTER, registration(username, null, null)).then().statusCode(400).body(equalTo(expected));
            post(REGISTER, Map.of("username", username, "password", PASSWORD)).then().statusCode(400).body(equalTo(expected));
            assertThat(realm.admin().userByUsername(username)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"12", "not a phone", "+999123456789", "+4915112345678' OR '1'='1", "${jndi:ldap://x}"})
        void invalidPhoneNumbersAre400(String phone) {
            String username = newUsername();
            post(REGISTER, registration(username, phone, "")).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"phone_number\":[\"Enter a valid phone number.\"]}}"));
            assertThat(realm.admin().userByUsername(username)).isEmpty();
        }

        @Test
        void invalidEmailsAndUsernamesAre400() {
            post(REGISTER, registration(newUsername(), "", "not-an-email")).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"email\":[\"Enter a valid email address.\"]}}"));
            post(REGISTER, registration("bad name!", Phones.next(), "")).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"username\":[\"Enter a valid username. This value may contain only "
                            + "letters, numbers, and @/./+/-/_ characters.\"]}}"));
        }

        @Test
        void missingFieldsAre400() {
            post(REGISTER, Map.of()).then().statusCode(400).body(equalTo(
                    "{\"error_message\":{\"username\":[\"This field is required.\"],\"password\":[\"This field is required.\"]}}"));
        }

        @Test
        void everyProblemIsReportedAtOnce() {
            String username = newUsername();
            post(REGISTER, Map.of("username", username, "password", "1234", "phone_number", "12", "email", ""))
                    .then().statusCode(400).body(equalTo("{\"error_message\":{"
                            + "\"password\":[\"This password is too short. It must contain at least 8 characters.\","
                            + "\"This password is entirely numeric.\"],"
                            + "\"phone_number\":[\"Enter a valid phone number.\"]}}"));
            assertThat(realm.admin().userByUsername(username)).isEmpty();
        }

        @Test
        void concurrentRegistrationsOfOneUsernameMakeExactlyOneUser() throws Exception {
            String username = newUsername();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<Response>> results = new ArrayList<>();
            try {
                for (int i = 0; i < 30; i++) {
                    String phone = Phones.next();
                    results.add(pool.submit(() -> post(REGISTER, registration(username, phone, ""))));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Response> f : results) {
                    Response response = f.get(120, TimeUnit.SECONDS);
                    statuses.add(response.statusCode());
                    if (response.statusCode() == 400) {
                        assertThat(response.asString()).contains("A user with that username already exists.");
                    }
                }
                assertThat(statuses).containsOnly(200, 400);
                assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(realm.admin().findUsers(Map.of("username", username, "exact", true))).hasSize(1);
        }

        @Test
        void aRefusedCodeLimitRefusesTheRegistrationAndCreatesNothing() {
            realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeHourlyLimitPerIp", "1"));
            try {
                // Earlier tests' codes may already hold the one slot; by the second registration the limit holds.
                Response refused = null;
                String refusedUsername = null;
                for (int i = 0; i < 2 && refused == null; i++) {
                    String username = newUsername();
                    Response response = post(REGISTER, registration(username, Phones.next(), ""));
                    if (response.statusCode() == 429) {
                        refused = response;
                        refusedUsername = username;
                    } else {
                        assertThat(response.statusCode()).isEqualTo(200);
                    }
                }
                assertThat(refused).isNotNull();
                assertThat(refused.asString()).matches("\\{\"detail\":\"Request was throttled\\. Expected available in \\d+ seconds\\.\"}");
                assertThat(refused.header("Retry-After")).matches("\\d+");
                assertThat(realm.admin().userByUsername(refusedUsername)).isEmpty();
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeHourlyLimitPerIp", "10000"));
            }
        }

        @Test
        void aFailedSendLeavesNoAccountBehind() {
            String username = newUsername();
            String phone = Phones.next();
            realm.admin().updateRealmAttributes(Map.of("dropin.sms.sender", "no-such-sender"));
            try {
                post(REGISTER, registration(username, phone, "")).then().statusCode(503)
                        .body(equalTo("{\"detail\":\"Service temporarily unavailable, try again later.\"}"));
                assertThat(realm.admin().userByUsername(username)).isEmpty();
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.sms.sender", ""));
            }
            post(REGISTER, registration(username, phone, "")).then().statusCode(200);
        }
    }

    @Nested
    class VerifyUser {

        @Test
        void theSmsCodeVerifiesThePhoneOnce() {
            Map<String, String> account = registerWithPhone();

            post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(200).body(equalTo(VERIFIED));

            assertThat(attribute(user(account.get("id")), "phoneNumberVerified")).isEqualTo("true");
            post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(400).body(equalTo(INVALID_CODE));
            assertThat(realm.admin().events("UPDATE_PROFILE"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.get("id")));
        }

        @Test
        void eachCodeVerifiesOnlyItsOwnChannel() {
            String username = newUsername();
            String phone = Phones.next();
            String email = newEmail();
            post(REGISTER, registration(username, phone, email)).then().statusCode(200);
            String id = realm.admin().userByUsername(username).orElseThrow().path("id").asText();

            post(VERIFY, Map.of("code", inbox.awaitSms(realm.name(), phone).code())).then().statusCode(200);
            JsonNode user = user(id);
            assertThat(attribute(user, "phoneNumberVerified")).isEqualTo("true");
            assertThat(user.path("emailVerified").asBoolean()).as("the SMS code proves nothing about the email").isFalse();

            given().formParams(Map.of("code", mail.awaitEmail(email).code())).post(realm.realmUrl() + VERIFY)
                    .then().statusCode(200).body(equalTo(VERIFIED));
            assertThat(user(id).path("emailVerified").asBoolean()).isTrue();
            assertThat(realm.admin().events("VERIFY_EMAIL")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(id);
                assertThat(e.path("details").path("email").asText()).isEqualTo(email);
            });
        }

        @Test
        void codesMayBeJsonNumbers() {
            Map<String, String> account = registerWithPhone();
            post(VERIFY, "{\"code\": " + Integer.parseInt(account.get("code")) + "}").then().statusCode(200);
        }

        @Test
        void aWrongCodeIs400AndChangesNothing() {
            Map<String, String> account = registerWithPhone();
            String wrong = account.get("code").equals("99999") ? "99998" : "99999";
            post(VERIFY, Map.of("code", wrong)).then().statusCode(400).body(equalTo(INVALID_CODE));
            assertThat(attribute(user(account.get("id")), "phoneNumberVerified")).isEqualTo("false");
            post(VERIFY, Map.of("code", "abc")).then().statusCode(400).body(equalTo(INVALID_CODE));
            post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(200);
        }

        @Test
        void missingCodeIs400() {
            post(VERIFY, Map.of()).then().statusCode(400).body(equalTo("{\"error_message\":{\"code\":[\"This field is required.\"]}}"));
            post(VERIFY, Map.of("code", "")).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"code\":[\"This field may not be blank.\"]}}"));
        }

        @Test
        void anExpiredCodeNoLongerVerifies(KeycloakServer server) {
            realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeLifetime", "60"));
            Map<String, String> account;
            try {
                account = registerWithPhone();
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeLifetime", ""));
            }
            server.moveClock(Duration.ofSeconds(61));
            post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(400).body(equalTo(INVALID_CODE));
            assertThat(attribute(user(account.get("id")), "phoneNumberVerified")).isEqualTo("false");
        }

        @Test
        void attemptsAreLimitedPerClientIpBeforeAnyLookup() {
            Map<String, String> account = registerWithPhone();
            realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeVerifyHourlyLimitPerIp", "3"));
            try {
                // Earlier tests may have used some of the 3 slots already; by the fourth try the limit holds.
                Response refused = null;
                for (int i = 0; i < 4 && refused == null; i++) {
                    Response response = post(VERIFY, Map.of("code", "abc"));
                    if (response.statusCode() == 429) {
                        refused = response;
                    } else {
                        assertThat(response.asString()).isEqualTo(INVALID_CODE);
                    }
                }
                assertThat(refused).isNotNull();
                assertThat(refused.asString()).matches("\\{\"detail\":\"Request was throttled\\. Expected available in \\d+ seconds\\.\"}");
                assertThat(refused.header("Retry-After")).matches("\\d+");
                // Even the right code is refused now: the limit comes before the code is looked at.
                post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(429);
                assertThat(attribute(user(account.get("id")), "phoneNumberVerified")).isEqualTo("false");
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeVerifyHourlyLimitPerIp", "10000"));
            }
            post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(200);
        }
    }

    @Nested
    class ResendCode {

        @Test
        void theOwnerGetsAFreshCodeOnceTheCooldownIsOver() {
            Map<String, String> account = registerWithPhone();
            Map<String, String> credentials = Map.of("username", account.get("username"), "password", PASSWORD);
            inbox.mark();
            post(RESEND, credentials).then().statusCode(429);
            inbox.assertNoSms(realm.name(), account.get("phone"), QUIET);

            realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeResendCooldown", "0"));
            try {
                post(RESEND, credentials).then().statusCode(200).body(equalTo("{\"success_message\":\"A new verification "
                        + "code is sent to your given Phone Number/Email. Please verify your Phone Number/Email.\"}"));
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeResendCooldown", ""));
            }
            String fresh = inbox.awaitSms(realm.name(), account.get("phone")).code();
            if (!fresh.equals(account.get("code"))) {
                post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(400).body(equalTo(INVALID_CODE));
            }
            post(VERIFY, Map.of("code", fresh)).then().statusCode(200);
        }

        @Test
        void needsThePasswordAndAnUnverifiedChannel() {
            Map<String, String> account = signedIn();
            post(RESEND, Map.of("username", account.get("username"), "password", "wrong password")).then().statusCode(400)
                    .body(equalTo(BAD_CREDENTIALS));
            post(RESEND, Map.of("username", account.get("username"), "password", PASSWORD)).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"non_field_errors\":[\"Account is already verified.\"]}}"));
        }
    }

    @Nested
    class Login {

        @Test
        void aVerifiedAccountGetsAKeyBoundToAKeycloakSession() {
            Map<String, String> account = registerWithPhone();
            post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(200);

            Response response = post(LOGIN, Map.of("username", account.get("username"), "password", PASSWORD));

            response.then().statusCode(200);
            assertThat(response.jsonPath().getMap("")).containsOnlyKeys("token");
            String key = response.path("token");
            List<JsonNode> sessions = realm.admin().userSessions(account.get("id"));
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).path("clients").toString()).contains("token-auth");
            // <session id>.<secret>: the secret carries at least 128 bits (32 base64url characters = 192 bits).
            assertThat(key).startsWith(sessions.get(0).path("id").asText() + ".");
            assertThat(key.substring(key.lastIndexOf('.') + 1)).matches("[A-Za-z0-9_-]{32}");
            assertThat(realm.admin().events("LOGIN")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(account.get("id"));
                assertThat(e.path("clientId").asText()).isEqualTo("token-auth");
                assertThat(e.path("sessionId").asText()).isEqualTo(sessions.get(0).path("id").asText());
            });
            withKey(key).get(realm.realmUrl() + PROFILE).then().statusCode(200);
        }

        @Test
        void anUnverifiedAccountCannotLogIn() {
            Map<String, String> account = registerWithPhone();
            post(LOGIN, Map.of("username", account.get("username"), "password", PASSWORD)).then().statusCode(400)
                    .body(equalTo(NOT_VERIFIED));
            assertThat(realm.admin().userSessions(account.get("id"))).isEmpty();
            assertThat(errors(realm.admin().events("LOGIN_ERROR"), account.get("id"))).contains("account_not_verified");
        }

        @Test
        void wrongPasswordUnknownUserAndDisabledUserGetTheSameError() {
            Map<String, String> account = signedIn();
            Map<String, String> disabled = signedIn();
            realm.admin().updateUser(disabled.get("id"), Map.of("enabled", false));

            post(LOGIN, Map.of("username", account.get("username"), "password", "wrong password")).then().statusCode(400)
                    .body(equalTo(BAD_CREDENTIALS));
            // An unverified account with a wrong password learns nothing about its verification either.
            post(LOGIN, Map.of("username", registerWithPhone().get("username"), "password", "wrong password"))
                    .then().statusCode(400).body(equalTo(BAD_CREDENTIALS));
            given().formParams(Map.of("username", newUsername(), "password", PASSWORD)).post(realm.realmUrl() + LOGIN)
                    .then().statusCode(400).body(equalTo(BAD_CREDENTIALS));
            post(LOGIN, Map.of("username", disabled.get("username"), "password", PASSWORD)).then().statusCode(400)
                    .body(equalTo(BAD_CREDENTIALS));

            List<JsonNode> failures = realm.admin().events("LOGIN_ERROR");
            assertThat(errors(failures, account.get("id"))).contains("invalid_user_credentials");
            assertThat(errors(failures, disabled.get("id"))).contains("user_disabled");
            assertThat(failures).anySatisfy(e -> assertThat(e.path("error").asText()).isEqualTo("user_not_found"));
        }

        @Test
        void formBodiesNoTrailingSlashAndAnyUsernameCase() {
            Map<String, String> account = registerWithPhone();
            post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(200);
            given().formParams(Map.of("username", account.get("username").toUpperCase(), "password", PASSWORD))
                    .post(realm.realmUrl() + "/token-auth/api/login")
                    .then().statusCode(200).body("token", org.hamcrest.Matchers.notNullValue());
        }

        @Test
        void missingFieldsAndWrongMethodsAre4xx() {
            post(LOGIN, Map.of("username", "x")).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"password\":[\"This field is required.\"]}}"));
            given().get(realm.realmUrl() + LOGIN).then().statusCode(405).header("Allow", "OPTIONS, POST")
                    .body(equalTo("{\"detail\":\"Method \\\"GET\\\" not allowed.\"}"));
        }

        @Test
        void aLockedUserGetsTheLoginErrorEvenWithTheRightPassword() {
            Map<String, String> account = signedIn();
            for (int i = 0; i < 3; i++) {
                post(LOGIN, Map.of("username", account.get("username"), "password", "wrong password " + i))
                        .then().statusCode(400).body(equalTo(BAD_CREDENTIALS));
            }
            realm.admin().awaitBruteForceLock(account.get("id"));

            post(LOGIN, Map.of("username", account.get("username"), "password", PASSWORD)).then().statusCode(400)
                    .body(equalTo(BAD_CREDENTIALS));

            assertThat(errors(realm.admin().events("LOGIN_ERROR"), account.get("id"))).containsExactly(
                    "user_temporarily_disabled", "invalid_user_credentials", "invalid_user_credentials",
                    "invalid_user_credentials");
            realm.admin().request().delete("/attack-detection/brute-force/users/{id}", account.get("id")).then().statusCode(204);
            login(account.get("username"));
        }
    }

    /** DRF's {@code TokenAuthentication} bodies (SPEC §4.6) on every protected row. */
    @Nested
    class TokenHeader {

        @ParameterizedTest
        @ValueSource(strings = {PROFILE, LOGOUT, CHANGE_PASSWORD})
        void missingOrBadHeadersAre401WithTheChallenge(String path) {
            String url = realm.realmUrl() + path;
            given().get(url).then().statusCode(401).header("WWW-Authenticate", "Token")
                    .body(equalTo("{\"detail\":\"Authentication credentials were not provided.\"}"));
            given().header("Authorization", "Bearer abc").get(url).then().statusCode(401)
                    .body(equalTo("{\"detail\":\"Authentication credentials were not provided.\"}"));
            given().header("Authorization", "Token").get(url).then().statusCode(401).header("WWW-Authenticate", "Token")
                    .body(equalTo("{\"detail\":\"Invalid token header. No credentials provided.\"}"));
            given().header("Authorization", "Token a b").get(url).then().statusCode(401)
                    .body(equalTo("{\"detail\":\"Invalid token header. Token string should not contain spaces.\"}"));
            given().header("Authorization", "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b").get(url).then().statusCode(401)
                    .header("WWW-Authenticate", "Token").body(equalTo(INVALID_TOKEN));
        }

        @Test
        void theKeywordIsCaseInsensitiveAndAForgedSecretFails() {
            Map<String, String> account = signedIn();
            given().header("Authorization", "token " + account.get("key")).get(realm.realmUrl() + PROFILE)
                    .then().statusCode(200);
            String key = account.get("key");
            String forged = key.substring(0, key.lastIndexOf('.') + 1) + "A".repeat(32);
            withKey(forged).get(realm.realmUrl() + PROFILE).then().statusCode(401).body(equalTo(INVALID_TOKEN));
        }
    }

    @Nested
    class Profile {

        @Test
        void showsTheAccountWithoutSecrets() {
            String username = newUsername();
            String phone = Phones.next();
            String email = newEmail();
            post(REGISTER, registration(username, phone, email)).then().statusCode(200);
            post(VERIFY, Map.of("code", inbox.awaitSms(realm.name(), phone).code())).then().statusCode(200);
            String id = realm.admin().userByUsername(username).orElseThrow().path("id").asText();

            withKey(login(username)).get(realm.realmUrl() + "/token-auth/api/profile").then().statusCode(200)
                    .body(equalTo("{\"id\":\"" + id + "\",\"username\":\"" + username + "\",\"email\":\"" + email
                            + "\",\"phone_number\":\"" + phone + "\",\"is_email_verified\":false,\"is_phone_verified\":true}"));
        }

        @Test
        void postIs405() {
            Map<String, String> account = signedIn();
            withKey(account.get("key")).contentType(ContentType.JSON).body("{}").post(realm.realmUrl() + PROFILE)
                    .then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS");
        }
    }

    @Nested
    class Logout {

        @Test
        void getEndsTheSessionAndTheKey() {
            Map<String, String> account = signedIn();
            String other = login(account.get("username"));

            withKey(account.get("key")).get(realm.realmUrl() + LOGOUT).then().statusCode(200)
                    .body(equalTo("{\"success_message\":\"Successfully Logged Out.\"}"));

            withKey(account.get("key")).get(realm.realmUrl() + PROFILE).then().statusCode(401).body(equalTo(INVALID_TOKEN));
            withKey(account.get("key")).get(realm.realmUrl() + LOGOUT).then().statusCode(401).body(equalTo(INVALID_TOKEN));
            assertThat(realm.admin().userSessions(account.get("id"))).hasSize(1);
            withKey(other).get(realm.realmUrl() + PROFILE).then().statusCode(200);
            assertThat(realm.admin().events("LOGOUT"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.get("id")));
        }

        @Test
        void postWorksToo() {
            Map<String, String> account = signedIn();
            withKey(account.get("key")).post(realm.realmUrl() + "/token-auth/api/logout").then().statusCode(200);
            assertThat(realm.admin().userSessions(account.get("id"))).isEmpty();
        }
    }

    @Nested
    class ChangePassword {

        static final String NEW_PASSWORD = "battery staple 43";

        @Test
        void returnsANewKeyAndEndsEveryOtherSession() {
            Map<String, String> account = signedIn();
            String otherKey = login(account.get("username"));
            assertThat(realm.admin().userSessions(account.get("id"))).hasSize(2);

            Response response = withKey(account.get("key")).contentType(ContentType.JSON)
                    .body(Map.of("old_password", PASSWORD, "new_password", NEW_PASSWORD))
                    .post(realm.realmUrl() + CHANGE_PASSWORD);

            response.then().statusCode(200);
            assertThat(response.jsonPath().getMap("")).containsOnlyKeys("token");
            String newKey = response.path("token");
            withKey(account.get("key")).get(realm.realmUrl() + PROFILE).then().statusCode(401).body(equalTo(INVALID_TOKEN));
            withKey(otherKey).get(realm.realmUrl() + PROFILE).then().statusCode(401).body(equalTo(INVALID_TOKEN));
            withKey(newKey).get(realm.realmUrl() + PROFILE).then().statusCode(200);
            List<JsonNode> sessions = realm.admin().userSessions(account.get("id"));
            assertThat(sessions).hasSize(1);
            assertThat(newKey).startsWith(sessions.get(0).path("id").asText() + ".");

            post(LOGIN, Map.of("username", account.get("username"), "password", PASSWORD)).then().statusCode(400);
            post(LOGIN, Map.of("username", account.get("username"), "password", NEW_PASSWORD)).then().statusCode(200);
            assertThat(realm.admin().credentials(account.get("id"))).hasSize(1);
            assertThat(realm.admin().events("UPDATE_PASSWORD"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.get("id")));
        }

        @Test
        void aWrongOldPasswordIs400AndChangesNothing() {
            Map<String, String> account = signedIn();
            withKey(account.get("key")).formParams(Map.of("old_password", "wrong password", "new_password", NEW_PASSWORD))
                    .post(realm.realmUrl() + CHANGE_PASSWORD).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"old_password\":[\"Your old password was entered incorrectly. "
                            + "Please enter it again.\"]}}"));
            withKey(account.get("key")).get(realm.realmUrl() + PROFILE).then().statusCode(200);
            login(account.get("username"));
        }

        @Test
        void theNewPasswordMustMeetThePolicy() {
            Map<String, String> account = signedIn();
            withKey(account.get("key")).contentType(ContentType.JSON)
                    .body(Map.of("old_password", PASSWORD, "new_password", account.get("username")))
                    .post(realm.realmUrl() + CHANGE_PASSWORD).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"new_password\":[\"The password is too similar to the username.\"]}}"));
            withKey(account.get("key")).contentType(ContentType.JSON)
                    .body(Map.of("old_password", PASSWORD, "new_password", "2024"))
                    .post(realm.realmUrl() + CHANGE_PASSWORD).then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"new_password\":[\"This password is too short. It must contain at "
                            + "least 8 characters.\",\"This password is entirely numeric.\"]}}"));
            withKey(account.get("key")).get(realm.realmUrl() + PROFILE).then().statusCode(200);
            login(account.get("username"));
        }

        @Test
        void missingFieldsAre400() {
            Map<String, String> account = signedIn();
            withKey(account.get("key")).contentType(ContentType.JSON).body("{}").post(realm.realmUrl() + CHANGE_PASSWORD)
                    .then().statusCode(400).body(equalTo("{\"error_message\":{\"old_password\":[\"This field is required.\"],"
                            + "\"new_password\":[\"This field is required.\"]}}"));
        }
    }

    @Nested
    class AdminSignOut {

        @Test
        void endsEveryKeyOfTheUser() {
            Map<String, String> account = signedIn();
            String other = login(account.get("username"));

            realm.admin().logoutUser(account.get("id"));

            withKey(account.get("key")).get(realm.realmUrl() + PROFILE).then().statusCode(401).body(equalTo(INVALID_TOKEN));
            withKey(other).get(realm.realmUrl() + PROFILE).then().statusCode(401).body(equalTo(INVALID_TOKEN));
            assertThat(realm.admin().userSessions(account.get("id"))).isEmpty();
        }

        @Test
        void aKeyLivesAsLongAsItsKeycloakSession(KeycloakServer server) {
            Map<String, String> account = new HashMap<>(registerWithPhone());
            post(VERIFY, Map.of("code", account.get("code"))).then().statusCode(200);
            // Keycloak judges a session against the realm's limits at the time of the request, so the short
            // limit stays in force until the key has been refused.
            realm.admin().updateRealm(Map.of("ssoSessionMaxLifespan", 60));
            try {
                String key = login(account.get("username"));
                withKey(key).get(realm.realmUrl() + PROFILE).then().statusCode(200);
                server.moveClock(Duration.ofSeconds(61));
                withKey(key).get(realm.realmUrl() + PROFILE).then().statusCode(401).body(equalTo(INVALID_TOKEN));
            } finally {
                realm.admin().updateRealm(Map.of("ssoSessionMaxLifespan", 36000));
            }
        }

        @Test
        void aDisabledUsersKeysStopWorking() {
            Map<String, String> account = signedIn();
            realm.admin().updateUser(account.get("id"), Map.of("enabled", false));
            // DRF's TokenAuthentication tells a disabled user's valid key apart.
            withKey(account.get("key")).get(realm.realmUrl() + PROFILE).then().statusCode(401)
                    .body(equalTo("{\"detail\":\"User inactive or deleted.\"}"));
        }
    }

    @Nested
    class BadInput {

        @Test
        void frameworkErrorsKeepDrfsDetailShape() {
            post(LOGIN, "{\"username\": ").then().statusCode(400)
                    .body("detail", org.hamcrest.Matchers.startsWith("JSON parse error - "));
            post(LOGIN, "[1, 2]").then().statusCode(400).body(equalTo(
                    "{\"error_message\":{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got list.\"]}}"));
            given().contentType("text/plain").body("username=a").post(realm.realmUrl() + LOGIN).then().statusCode(415)
                    .body("detail", org.hamcrest.Matchers.startsWith("Unsupported media type \"text/plain"));
            post(REGISTER, "{\"username\": \"" + "x".repeat(70_000) + "\"}").then().statusCode(413);
            given().get(realm.realmUrl() + "/token-auth/api/nothing/").then().statusCode(404)
                    .body(equalTo("{\"detail\":\"Not found.\"}"));
        }

        @Test
        void wrongTypesAre400InTheSeedsShape() {
            post(REGISTER, "{\"username\": [\"a\"], \"password\": {\"x\": 1}, \"email\": 5}").then().statusCode(400)
                    .body(equalTo("{\"error_message\":{\"username\":[\"Not a valid string.\"],"
                            + "\"password\":[\"Not a valid string.\"],\"email\":[\"Enter a valid email address.\"]}}"));
        }
    }
}
