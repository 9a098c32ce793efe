package io.github.dropin.keycloak.it.phoneotp;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Jwts;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Dialect {@code phone-otp} (SPEC §4.2, seed 001) against a real Keycloak: every row, its errors, and Keycloak's
 * state afterwards.
 */
@KeycloakRealm("realms/phone-otp.json")
class PhoneOtpIT {

    static final String REGISTER = "/phone-otp/auth/api/Register/";
    static final String VERIFY = "/phone-otp/auth/api/verify/";
    static final String LOGIN = "/phone-otp/auth/api/login/";
    static final String LOGIN_VERIFY = "/phone-otp/auth/api/login/verify/";
    static final Duration QUIET = Duration.ofSeconds(2);

    final TestRealm realm;
    final SmsInbox inbox;

    PhoneOtpIT(TestRealm realm, SmsInbox inbox) {
        this.realm = realm;
        this.inbox = inbox;
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    /** Registers a fresh number and returns {phone, token, userId} plus the registration code. */
    Map<String, String> register() {
        String phone = Phones.next();
        Response response = post(REGISTER, Map.of("phonenumber", phone));
        response.then().statusCode(200);
        String code = inbox.awaitSms(realm.name(), phone).code();
        String userId = realm.admin().userByUsername(phone).orElseThrow().path("id").asText();
        return Map.of("phone", phone, "token", response.path("token"), "userId", userId, "code", code);
    }

    /** Requests a login code and returns it. */
    String requestLogin(String phone, String userId) {
        inbox.mark();
        post(LOGIN, Map.of("phone", phone)).then().statusCode(200).body("user_id", equalTo(userId));
        return inbox.awaitSms(realm.name(), phone).code();
    }

    JsonNode user(String id) {
        return realm.admin().user(id);
    }

    static String attribute(JsonNode user, String name) {
        return user.path("attributes").path(name).path(0).asText(null);
    }

    @Nested
    class Register {

        @Test
        void createsAnUnverifiedUserAndTextsACode() {
            String phone = Phones.next();
            Response response = post(REGISTER, Map.of("phonenumber", Phones.spaced(phone)));

            response.then().statusCode(200).contentType(ContentType.JSON);
            assertThat(response.jsonPath().getMap("")).containsOnlyKeys("message", "phone", "token");
            assertThat(response.<String>path("message")).isEqualTo("User Created Successfully");
            assertThat(response.<String>path("phone")).isEqualTo(phone);
            assertThat(response.<String>path("token")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

            JsonNode user = realm.admin().userByUsername(phone).orElseThrow();
            assertThat(user.path("enabled").asBoolean()).isTrue();
            assertThat(attribute(user, "phoneNumber")).isEqualTo(phone);
            assertThat(attribute(user, "phoneNumberVerified")).isEqualTo("false");

            SmsInbox.Sms sms = inbox.awaitSms(realm.name(), phone);
            assertThat(sms.purpose()).isEqualTo("registration");
            assertThat(sms.code()).hasSize(6);
            assertThat(sms.text()).contains(realm.name()).contains("5 minutes");

            assertThat(realm.admin().events("REGISTER"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(user.path("id").asText()));
        }

        @Test
        void anExistingNumberIs409InAnyNotation() {
            Map<String, String> account = register();
            int before = realm.admin().countUsers();
            inbox.mark();

            post(REGISTER, Map.of("phonenumber", Phones.spaced(account.get("phone"))))
                    .then().statusCode(409).body(equalTo("{\"error\":\"Account already Exists\"}"));

            assertThat(realm.admin().countUsers()).isEqualTo(before);
            inbox.assertNoSms(realm.name(), account.get("phone"), QUIET);
        }

        @ParameterizedTest
        @ValueSource(strings = {"12", "not a phone", "+999123456789", "+4915112345678' OR '1'='1", "${jndi:ldap://x}",
                "\u202e+4915112345678", "+49151\t12345678"})
        void invalidNumbersAre400AndCreateNothing(String input) {
            int before = realm.admin().countUsers();
            post(REGISTER, Map.of("phonenumber", input))
                    .then().statusCode(400).body(equalTo("{\"error\":\"Invalid phone number\"}"));
            assertThat(realm.admin().countUsers()).isEqualTo(before);
        }

        @Test
        void nullCharactersAreRefusedBeforeParsing() {
            post(REGISTER, Map.of("phonenumber", "+49151\u0000123")).then().statusCode(400)
                    .body(equalTo("{\"error\":\"Invalid phonenumber: Null characters are not allowed.\"}"));
        }

        @Test
        void missingOrBlankNumberIs400() {
            post(REGISTER, Map.of()).then().statusCode(400).body(equalTo("{\"error\":\"Missing parameter: phonenumber\"}"));
            post(REGISTER, "{\"phonenumber\": null}").then().statusCode(400)
                    .body(equalTo("{\"error\":\"Missing parameter: phonenumber\"}"));
            post(REGISTER, "{\"phonenumber\": \"  \"}").then().statusCode(400)
                    .body(equalTo("{\"error\":\"Missing parameter: phonenumber\"}"));
        }

        @Test
        void concurrentRegistrationsOfOneNumberCreateExactlyOneUser() throws Exception {
            String phone = Phones.next();
            ExecutorService pool = Executors.newFixedThreadPool(10);
            List<Future<Integer>> results = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    String notation = i % 2 == 0 ? phone : Phones.spaced(phone);
                    Callable<Integer> call = () -> post(REGISTER, Map.of("phonenumber", notation)).statusCode();
                    results.add(pool.submit(call));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : results) {
                    statuses.add(f.get(60, TimeUnit.SECONDS));
                }
                assertThat(statuses).containsOnly(200, 409);
                assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(realm.admin().usersByAttribute("phoneNumber", phone)).hasSize(1);
        }

        @Test
        void aFailedSendLeavesNoAccountBehind() {
            String phone = Phones.next();
            realm.admin().updateRealmAttributes(Map.of("dropin.sms.sender", "no-such-sender"));
            try {
                post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(503)
                        .body("error", equalTo("Service temporarily unavailable, try again later"));
                assertThat(realm.admin().userByUsername(phone)).isEmpty();
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.sms.sender", ""));
            }
            // Nothing half-done blocks the retry.
            post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(200);
        }
    }

    @Nested
    class Verify {

        @Test
        void theRightCodeVerifiesTheNumberOnce() {
            Map<String, String> account = register();
            Map<String, Object> body = Map.of("code", account.get("code"), "token", account.get("token"),
                    "phone", account.get("phone"));

            post(VERIFY, body).then().statusCode(200).body(equalTo("{\"message\":\"User verify Successfully!\"}"));
            assertThat(attribute(user(account.get("userId")), "phoneNumberVerified")).isEqualTo("true");

            post(VERIFY, body).then().statusCode(400).body(equalTo("{\"error\":\"Invalid token\"}"));
        }

        @Test
        void codesMayBeJsonNumbersAndPhonesAnyNotation() {
            Map<String, String> account = register();
            String body = "{\"code\": " + Integer.parseInt(account.get("code")) + ", \"token\": \"" + account.get("token")
                    + "\", \"phone\": \"" + Phones.spaced(account.get("phone")) + "\"}";
            post(VERIFY, body).then().statusCode(200);
        }

        @Test
        void wrongCodeIs400AndKeepsTheAccountUnverified() {
            Map<String, String> account = register();
            String wrong = account.get("code").equals("000000") ? "111111" : "000000";
            post(VERIFY, Map.of("code", wrong, "token", account.get("token"), "phone", account.get("phone")))
                    .then().statusCode(400).body(equalTo("{\"error\":\"Invalid code\"}"));
            assertThat(attribute(user(account.get("userId")), "phoneNumberVerified")).isEqualTo("false");
        }

        @Test
        void tokenMustBelongToThePhone() {
            Map<String, String> first = register();
            Map<String, String> second = register();
            post(VERIFY, Map.of("code", first.get("code"), "token", second.get("token"), "phone", first.get("phone")))
                    .then().statusCode(400).body(equalTo("{\"error\":\"Invalid token\"}"));
            post(VERIFY, Map.of("code", first.get("code"), "token", "eb3ed707-f72e-4271-930a-a6e5c89f0ca0",
                    "phone", first.get("phone"))).then().statusCode(400).body(equalTo("{\"error\":\"Invalid token\"}"));
        }

        @Test
        void anyMissingParameterIs400() {
            post(VERIFY, Map.of()).then().statusCode(400)
                    .body(equalTo("{\"error\":\"Missing parameters: code, token, phone\"}"));
            post(VERIFY, Map.of("code", "123456", "phone", Phones.next())).then().statusCode(400)
                    .body(equalTo("{\"error\":\"Missing parameter: token\"}"));
        }

        @Test
        void fiveWrongAttemptsKillTheCode() {
            Map<String, String> account = register();
            String wrong = account.get("code").equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 4; i++) {
                post(VERIFY, Map.of("code", wrong, "token", account.get("token"), "phone", account.get("phone")))
                        .then().statusCode(400).body(equalTo("{\"error\":\"Invalid code\"}"));
            }
            post(VERIFY, Map.of("code", wrong, "token", account.get("token"), "phone", account.get("phone")))
                    .then().statusCode(400).body(equalTo("{\"error\":\"Too many failed attempts, request a new code\"}"));
            post(VERIFY, Map.of("code", account.get("code"), "token", account.get("token"), "phone", account.get("phone")))
                    .then().statusCode(400);
            assertThat(attribute(user(account.get("userId")), "phoneNumberVerified")).isEqualTo("false");
        }
    }

    @Nested
    class Login {

        @Test
        void unknownNumberIs404() {
            post(LOGIN, Map.of("phone", Phones.next()))
                    .then().statusCode(404).body(equalTo("{\"error\":\"User does not exist\"}"));
        }

        @Test
        void knownNumberGetsACodeAndTheDocumentedBody() {
            Map<String, String> account = register();
            inbox.mark();
            Response response = post(LOGIN, Map.of("phone", account.get("phone")));

            response.then().statusCode(200);
            assertThat(response.asString()).isEqualTo("{\"expire_time\":\"300\",\"message\":\"Code Send to user\",\"user_id\":\""
                    + account.get("userId") + "\"}");
            SmsInbox.Sms sms = inbox.awaitSms(realm.name(), account.get("phone"));
            assertThat(sms.purpose()).isEqualTo("login");
            assertThat(sms.code()).hasSize(6);
        }

        @Test
        void aSecondRequestInsideTheWindowIs429AndSendsNothing() {
            Map<String, String> account = register();
            requestLogin(account.get("phone"), account.get("userId"));
            inbox.mark();

            post(LOGIN, Map.of("phone", account.get("phone"))).then().statusCode(429)
                    .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                    .body(equalTo("{\"message\":\"User already have a request for login\"}"));
            inbox.assertNoSms(realm.name(), account.get("phone"), QUIET);
        }

        /**
         * The pack remembers which user a number named (UsersByAttribute), as Keycloak remembers usernames; the memory
         * must never outlive the truth: a number moved to another account reaches the new owner at once, and the
         * number of a deleted account reaches nobody.
         */
        @Test
        void aNumberThatMovedReachesItsNewOwnerAndADeletedOwnersNumberNobody() {
            Map<String, String> first = register();
            Map<String, String> second = register();
            String phone = first.get("phone");
            String other = Phones.next();
            realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeResendCooldown", "0"));
            try {
                requestLogin(phone, first.get("userId"));
                setPhone(first.get("userId"), other);
                setPhone(second.get("userId"), phone);

                post(LOGIN, Map.of("phone", phone)).then().statusCode(200).body("user_id", equalTo(second.get("userId")));
                post(LOGIN, Map.of("phone", other)).then().statusCode(200).body("user_id", equalTo(first.get("userId")));

                realm.admin().deleteUser(second.get("userId"));
                post(LOGIN, Map.of("phone", phone))
                        .then().statusCode(404).body(equalTo("{\"error\":\"User does not exist\"}"));
                post(LOGIN, Map.of("phone", other)).then().statusCode(200).body("user_id", equalTo(first.get("userId")));
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeResendCooldown", ""));
            }
        }

        void setPhone(String userId, String phone) {
            realm.admin().setAttribute(userId, "phoneNumber", phone);
            assertThat(attribute(user(userId), "phoneNumber")).isEqualTo(phone);
        }

        @Test
        void aDisabledUserGetsNoCode() {
            Map<String, String> account = register();
            realm.admin().updateUser(account.get("userId"), Map.of("enabled", false));
            inbox.mark();
            post(LOGIN, Map.of("phone", account.get("phone"))).then().statusCode(403)
                    .body(equalTo("{\"error\":\"Account disabled\"}"));
            inbox.assertNoSms(realm.name(), account.get("phone"), QUIET);
        }
    }

    @Nested
    class LoginVerify {

        @Test
        void theRightCodeGivesRealKeycloakTokensAndASession() {
            Map<String, String> account = register();
            String code = requestLogin(account.get("phone"), account.get("userId"));

            Response response = post(LOGIN_VERIFY, Map.of("code", code, "user_id", account.get("userId")));

            response.then().statusCode(200);
            assertThat(response.jsonPath().getMap("")).containsOnlyKeys("access_token", "refresh_token");
            String access = response.path("access_token");
            String refresh = response.path("refresh_token");

            JsonNode claims = Jwts.verifiedPayload(realm, access);
            assertThat(claims.path("iss").asText()).isEqualTo(realm.realmUrl());
            assertThat(claims.path("sub").asText()).isEqualTo(account.get("userId"));
            assertThat(claims.path("azp").asText()).isEqualTo("phone-otp");
            assertThat(claims.path("phone_number").asText()).isEqualTo(account.get("phone"));
            assertThat(claims.path("phone_number_verified").asBoolean()).isTrue();
            assertThat(Jwts.payload(refresh).path("typ").asText()).isEqualTo("Refresh");

            // Keycloak's own endpoints accept them.
            given().auth().oauth2(access).get(realm.realmUrl() + "/protocol/openid-connect/userinfo")
                    .then().statusCode(200).body("sub", equalTo(account.get("userId")));
            given().formParams(Map.of("grant_type", "refresh_token", "client_id", "phone-otp", "refresh_token", refresh))
                    .post(realm.realmUrl() + "/protocol/openid-connect/token")
                    .then().statusCode(200).body("access_token", org.hamcrest.Matchers.notNullValue());

            List<JsonNode> sessions = realm.admin().userSessions(account.get("userId"));
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).path("clients").toString()).contains("phone-otp");
            assertThat(attribute(user(account.get("userId")), "phoneNumberVerified"))
                    .as("a login code proves possession").isEqualTo("true");
            assertThat(realm.admin().events("LOGIN")).anySatisfy(e -> {
                assertThat(e.path("userId").asText()).isEqualTo(account.get("userId"));
                assertThat(e.path("clientId").asText()).isEqualTo("phone-otp");
            });
        }

        @Test
        void aCodeWorksOnlyOnceAndTheWindowReopensAfterUse() {
            Map<String, String> account = register();
            String code = requestLogin(account.get("phone"), account.get("userId"));
            Map<String, String> body = Map.of("code", code, "user_id", account.get("userId"));

            post(LOGIN_VERIFY, body).then().statusCode(200);
            post(LOGIN_VERIFY, body).then().statusCode(400).body(equalTo("{\"error\":\"login first\"}"));

            requestLogin(account.get("phone"), account.get("userId"));
        }

        @Test
        void withoutAPendingLoginIs400LoginFirst() {
            Map<String, String> account = register();
            post(LOGIN_VERIFY, Map.of("code", "123456", "user_id", account.get("userId")))
                    .then().statusCode(400).body(equalTo("{\"error\":\"login first\"}"));
            post(LOGIN_VERIFY, Map.of("code", "123456", "user_id", "587c0bae-5a92-4c75-a2a8-ce1e164bcaf5"))
                    .then().statusCode(400).body(equalTo("{\"error\":\"login first\"}"));
        }

        @Test
        void wrongCodesAreCountedAndTheFifthKillsTheCode() {
            Map<String, String> account = register();
            String code = requestLogin(account.get("phone"), account.get("userId"));
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 4; i++) {
                post(LOGIN_VERIFY, Map.of("code", wrong, "user_id", account.get("userId")))
                        .then().statusCode(400).body(equalTo("{\"error\":\"Invalid code\"}"));
            }
            post(LOGIN_VERIFY, Map.of("code", wrong, "user_id", account.get("userId")))
                    .then().statusCode(400).body(equalTo("{\"error\":\"Too many failed attempts, request a new code\"}"));
            post(LOGIN_VERIFY, Map.of("code", code, "user_id", account.get("userId")))
                    .then().statusCode(400).body(equalTo("{\"error\":\"login first\"}"));
            assertThat(realm.admin().userSessions(account.get("userId"))).isEmpty();
            assertThat(realm.admin().events("LOGIN_ERROR"))
                    .anySatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(account.get("userId")));
            // A dead code does not reopen the window: requesting again stays refused until it ends.
            post(LOGIN, Map.of("phone", account.get("phone"))).then().statusCode(429);
        }

        @Test
        void parallelVerificationsOfOneCodeSucceedExactlyOnce() throws Exception {
            Map<String, String> account = register();
            String code = requestLogin(account.get("phone"), account.get("userId"));
            ExecutorService pool = Executors.newFixedThreadPool(10);
            List<Future<Integer>> results = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    results.add(pool.submit(() -> post(LOGIN_VERIFY, Map.of("code", code, "user_id", account.get("userId")))
                            .statusCode()));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : results) {
                    statuses.add(f.get(60, TimeUnit.SECONDS));
                }
                assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
                assertThat(statuses).filteredOn(s -> s == 400).hasSize(9);
            } finally {
                pool.shutdownNow();
            }
            assertThat(realm.admin().userSessions(account.get("userId"))).hasSize(1);
        }
    }

    /** Limits are changed through realm attributes at run time (no restart) and restored after each test. */
    @Nested
    class Limits {

        @Test
        void hourlyLimitPerIpRefusesFurtherCodes() {
            List<Map<String, String>> accounts = List.of(register(), register(), register());
            realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeHourlyLimitPerIp", "2"));
            try {
                // Other tests' codes from this IP may already count; a fresh realm attribute value of 2 with
                // many claims already made means the limit is reached at the latest on the third request.
                List<Integer> statuses = new ArrayList<>();
                for (Map<String, String> account : accounts) {
                    inbox.mark();
                    Response response = post(LOGIN, Map.of("phone", account.get("phone")));
                    statuses.add(response.statusCode());
                    if (response.statusCode() == 429) {
                        assertThat(response.asString()).isEqualTo("{\"message\":\"Too many requests, try again later\"}");
                        assertThat(response.header("Retry-After")).isNotNull();
                        inbox.assertNoSms(realm.name(), account.get("phone"), QUIET);
                    }
                }
                assertThat(statuses).contains(429);
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeHourlyLimitPerIp", "10000"));
            }
        }

        @Test
        void hourlyLimitPerSubjectHoldsWithoutCooldown() {
            Map<String, String> account = register();
            realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeResendCooldown", "0"));
            try {
                for (int i = 0; i < 5; i++) {
                    post(LOGIN, Map.of("phone", account.get("phone"))).then().statusCode(200);
                }
                post(LOGIN, Map.of("phone", account.get("phone"))).then().statusCode(429)
                        .body(equalTo("{\"message\":\"Too many requests, try again later\"}"));
            } finally {
                realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeResendCooldown", ""));
            }
        }
    }

    @Nested
    class BadInput {

        @Test
        void onlyJsonIsAccepted() {
            String expected = "{\"error\":\"Only JSON requests are accepted\"}";
            given().formParam("phonenumber", Phones.next()).post(realm.realmUrl() + REGISTER)
                    .then().statusCode(400).body(equalTo(expected));
            given().contentType(ContentType.TEXT).body("{\"phonenumber\":\"+4915112345678\"}").post(realm.realmUrl() + REGISTER)
                    .then().statusCode(400).body(equalTo(expected));
            post(REGISTER, "{\"phonenumber\": ").then().statusCode(400).body(equalTo(expected));
            post(REGISTER, "[\"+4915112345678\"]").then().statusCode(400).body(equalTo(expected));
            post(LOGIN, "").then().statusCode(400).body(equalTo(expected));
            RestAssured.given().post(realm.realmUrl() + LOGIN).then().statusCode(400).body(equalTo(expected));
        }

        @Test
        void wrongTypesAre400() {
            post(REGISTER, "{\"phonenumber\": {\"a\": 1}}").then().statusCode(400)
                    .body(equalTo("{\"error\":\"Invalid phonenumber: Not a valid string.\"}"));
            post(LOGIN_VERIFY, "{\"code\": [1], \"user_id\": true}").then().statusCode(400)
                    .body(equalTo("{\"error\":\"Invalid code: Not a valid string.\"}"));
        }

        @Test
        void hugeValuesAndBodies() {
            post(REGISTER, Map.of("phonenumber", "1".repeat(10_000))).then().statusCode(400)
                    .body(equalTo("{\"error\":\"Invalid phonenumber: Ensure this field has no more than 64 characters.\"}"));
            post(REGISTER, "{\"phonenumber\": \"" + "x".repeat(70_000) + "\"}").then().statusCode(413)
                    .body(equalTo("{\"error\":\"Request body too large\"}"));
        }

        @Test
        void trailingSlashIsOptionalAndOtherMethodsAre405() {
            post("/phone-otp/auth/api/login", Map.of("phone", Phones.next())).then().statusCode(404)
                    .body(equalTo("{\"error\":\"User does not exist\"}"));
            given().get(realm.realmUrl() + LOGIN).then().statusCode(405).header("Allow", "OPTIONS, POST")
                    .body(equalTo("{\"error\":\"Method GET not allowed\"}"));
            given().contentType(ContentType.JSON).body("{}").put(realm.realmUrl() + LOGIN).then().statusCode(405);
            given().get(realm.realmUrl() + "/phone-otp/auth/api/nothing/").then().statusCode(404)
                    .body(equalTo("{\"error\":\"Not found\"}"));
        }
    }
}
