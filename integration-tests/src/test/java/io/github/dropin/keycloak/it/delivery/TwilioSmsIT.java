package io.github.dropin.keycloak.it.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.FakeTwilio;
import io.github.dropin.keycloak.it.FakeTwilio.Behaviour;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.ServerLog;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The {@code twilio} SMS sender inside a real Keycloak: the shaded official SDK sends through a local fake of
 * Twilio's Messages API ({@link FakeTwilio}), driven end to end by the {@code phone-otp} dialect. For each of
 * Twilio's error classes: what the API caller sees, the Keycloak event, the log, and that nothing is left behind
 * (no account, no used-up cooldown or hourly slot), so an immediate retry succeeds.
 */
@KeycloakRealm("realms/delivery.json")
class TwilioSmsIT {

    static final String REGISTER = "/phone-otp/auth/api/Register/";
    static final String VERIFY = "/phone-otp/auth/api/verify/";
    static final String LOGIN = "/phone-otp/auth/api/login/";
    static final String INVALID_PHONE = "{\"error\":\"Invalid phone number\"}";
    static final String UNAVAILABLE = "{\"error\":\"Service temporarily unavailable, try again later\"}";
    static final String SENDER = "+15005550006";

    static FakeTwilio twilio;
    static FakeTwilio.Account account;

    final TestRealm realm;
    final ServerLog log;

    TwilioSmsIT(TestRealm realm, ServerLog log) {
        this.realm = realm;
        this.log = log;
    }

    @BeforeAll
    static void pointTheRealmAtTheFake(TestRealm realm, KeycloakServer server) {
        twilio = FakeTwilio.start();
        account = twilio.newAccount();
        account.addNumber(SENDER);
        realm.admin().updateRealmAttributes(Map.of(
                "dropin.sms.sender", "twilio",
                "dropin.sms.twilio.apiBaseUrl", twilio.baseUrl(server),
                "dropin.sms.twilio.accountSid", account.sid(),
                "dropin.sms.twilio.authToken", account.authToken(),
                "dropin.sms.twilio.from", SENDER,
                "dropin.sms.twilio.connectTimeout", "2000",
                "dropin.sms.twilio.readTimeout", "2000"));
    }

    @AfterAll
    static void stopTheFake(KeycloakServer server) {
        twilio.close();
        // Over the whole class, neither credential ever reached the server log.
        assertThat(server.log().count(Pattern.compile(Pattern.quote(account.authToken())))).isZero();
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    /** Sets realm attributes for the duration of {@code body}, then puts the previous values back. */
    void withAttributes(Map<String, String> attributes, Runnable body) {
        Delivery.withAttributes(realm, attributes, body);
    }

    /** A registered, verified account whose login texts go through the fake. */
    String registered() {
        String phone = Phones.next();
        post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(200);
        return phone;
    }

    /** The newest event of {@code type} about {@code phone}. */
    JsonNode event(String type, String phone) {
        return realm.admin().events(type).stream()
                .filter(e -> phone.equals(e.path("details").path("username").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " event for " + phone));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.US_ASCII));
    }

    @Nested
    class Sending {

        @Test
        void registrationTextsTheCodeThroughTwilioAsTwilioExpectsIt() {
            String phone = Phones.next();
            Response response = post(REGISTER, Map.of("phonenumber", phone));
            response.then().statusCode(200);

            FakeTwilio.Request request = twilio.onlyRequestTo(phone);
            assertThat(request.status()).isEqualTo(201);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + account.sid() + "/Messages.json");
            assertThat(request.authorization()).isEqualTo(basic(account.sid(), account.authToken()));
            assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
            assertThat(request.form()).containsOnlyKeys("To", "From", "Body");
            assertThat(request.form()).containsEntry("To", phone).containsEntry("From", SENDER);
            String text = request.form().get("Body");
            assertThat(text).startsWith("Acme Delivery: your verification code is ").endsWith("It expires in 5 minutes.");

            // The code that went through Twilio is the one that verifies, and it was never logged.
            String code = SmsInbox.codeIn(text.replace("Acme Delivery", ""));
            assertThat(log.linesFrom(log.lastMark())).noneMatch(line -> line.contains(code));
            post(VERIFY, Map.of("code", code, "token", response.path("token"), "phone", phone))
                    .then().statusCode(200).body(equalTo("{\"message\":\"User verify Successfully!\"}"));
        }

        @Test
        void aMessagingServiceSendsInsteadOfAFromNumber() {
            String phone = registered();
            String service = account.addMessagingService();
            withAttributes(Map.of("dropin.sms.twilio.messagingServiceSid", service), () -> {
                post(LOGIN, Map.of("phone", phone)).then().statusCode(200);
                FakeTwilio.Request login = twilio.requestsTo(phone).get(1);
                assertThat(login.status()).isEqualTo(201);
                assertThat(login.form()).containsOnlyKeys("To", "MessagingServiceSid", "Body");
                assertThat(login.form()).containsEntry("MessagingServiceSid", service);
                assertThat(login.form().get("Body")).contains("your sign-in code is");
            });
        }

        @Test
        void anApiKeySignsInInsteadOfTheAuthToken() {
            List<String> key = account.addApiKey();
            String phone = Phones.next();
            withAttributes(Map.of("dropin.sms.twilio.apiKeySid", key.get(0), "dropin.sms.twilio.apiKeySecret", key.get(1)), () -> {
                post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(200);
                FakeTwilio.Request request = twilio.onlyRequestTo(phone);
                assertThat(request.authorization()).isEqualTo(basic(key.get(0), key.get(1)));
                // The URL still names the account.
                assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + account.sid() + "/Messages.json");
            });
        }

        @Test
        void theCredentialsMayComeFromKeycloaksVault(KeycloakServer server) {
            server.putVaultSecret(realm.name(), "twilio_sid", account.sid());
            // As written by "echo token > file": the trailing newline is not part of the token.
            server.putVaultSecret(realm.name(), "twilio_token", account.authToken() + "\n");
            String phone = Phones.next();
            withAttributes(Map.of("dropin.sms.twilio.accountSid", "${vault.twilio_sid}",
                    "dropin.sms.twilio.authToken", "${vault.twilio_token}"), () -> {
                post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(200);
                FakeTwilio.Request request = twilio.onlyRequestTo(phone);
                assertThat(request.authorization()).isEqualTo(basic(account.sid(), account.authToken()));
                assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + account.sid() + "/Messages.json");
            });
        }

        @Test
        void aSlowTwilioWithinTheReadTimeoutIsFine() {
            String phone = Phones.next();
            twilio.on(phone, Behaviour.slow(Duration.ofMillis(1200)));
            post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(200);
            assertThat(twilio.onlyRequestTo(phone).status()).isEqualTo(201);
            assertThat(realm.admin().userByUsername(phone)).isPresent();
        }
    }

    @Nested
    class RecipientErrors {

        @Test
        void invalidToNumberOnRegistrationIs400AndCreatesNoAccount() {
            String phone = Phones.next();
            twilio.on(phone, Behaviour.fail(400, 21211, "Invalid 'To' Phone Number: " + phone));

            post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(400).body(equalTo(INVALID_PHONE));

            assertThat(twilio.onlyRequestTo(phone).status()).isEqualTo(400);
            assertThat(realm.admin().userByUsername(phone)).isEmpty();
            JsonNode event = event("REGISTER_ERROR", phone);
            assertThat(event.path("error").asText()).isEqualTo("invalid_recipient");
            assertThat(event.path("details").path("channel").asText()).isEqualTo("sms");
            assertThat(event.path("details").path("reason").asText())
                    .startsWith("INVALID_RECIPIENT: twilio error 21211 (HTTP 400)");

            // Nothing half-done: the same number registers at once (no account in the way, no cooldown used).
            twilio.on(phone, Behaviour.accept());
            post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(200);
            assertThat(realm.admin().usersByAttribute("phoneNumber", phone)).hasSize(1);
        }

        @Test
        void anUnsubscribedRecipientOnLoginIs400AndUsesUpNothing() {
            String phone = registered();
            twilio.on(phone, Behaviour.fail(400, 21610, "Attempt to send to unsubscribed recipient"));

            post(LOGIN, Map.of("phone", phone)).then().statusCode(400).body(equalTo(INVALID_PHONE));

            JsonNode event = event("LOGIN_ERROR", phone);
            assertThat(event.path("error").asText()).isEqualTo("invalid_recipient");
            assertThat(event.path("details").path("reason").asText())
                    .startsWith("RECIPIENT_UNREACHABLE: twilio error 21610 (HTTP 400)");

            // The 5-minute login window of the seed was not opened by the failed send.
            twilio.on(phone, Behaviour.accept());
            post(LOGIN, Map.of("phone", phone)).then().statusCode(200);
            assertThat(twilio.requestsTo(phone)).extracting(FakeTwilio.Request::status).containsExactly(201, 400, 201);
        }

        @Test
        void aFailedSendDoesNotCountTowardsTheHourlyLimit() {
            String phone = registered();
            withAttributes(Map.of("dropin.phone-otp.codeHourlyLimitPerSubject", "1",
                    "dropin.phone-otp.codeResendCooldown", "0"), () -> {
                twilio.on(phone, Behaviour.fail(400, 21610, "Attempt to send to unsubscribed recipient"));
                post(LOGIN, Map.of("phone", phone)).then().statusCode(400);
                twilio.on(phone, Behaviour.accept());
                // The one code of this hour is still available...
                post(LOGIN, Map.of("phone", phone)).then().statusCode(200);
                // ...and now it is used.
                post(LOGIN, Map.of("phone", phone)).then().statusCode(429)
                        .body(equalTo("{\"message\":\"Too many requests, try again later\"}"));
            });
        }
    }

    @Nested
    class ServiceErrors {

        @ParameterizedTest(name = "HTTP {0}, Twilio {1} -> 503 {2}")
        @CsvSource({
                "429, 20429, PROVIDER_RATE_LIMITED, Too Many Requests",
                "500, 20500, UNAVAILABLE, Internal Server Error",
                "503, 20503, UNAVAILABLE, Service Unavailable",
        })
        void throttlingAndServerErrorsAre503AndLeaveNoAccount(int status, int code, String reason, String message) {
            String phone = Phones.next();
            twilio.on(phone, Behaviour.fail(status, code, message));

            post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(503).body(equalTo(UNAVAILABLE));

            assertThat(twilio.requestsTo(phone)).as("sent once, not repeated").hasSize(1);
            assertThat(realm.admin().userByUsername(phone)).isEmpty();
            JsonNode event = event("REGISTER_ERROR", phone);
            assertThat(event.path("error").asText()).isEqualTo("sms_send_failed");
            assertThat(event.path("details").path("reason").asText())
                    .startsWith(reason + ": twilio error " + code + " (HTTP " + status + ")");
            twilio.on(phone, Behaviour.accept());
            post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(200);
        }

        @Test
        void rejectedCredentialsAre503WithAWarningNamingTheSettingAndNoSecret() {
            String phone = Phones.next();
            String wrongToken = "0123456789abcdef0123456789abcdef";
            withAttributes(Map.of("dropin.sms.twilio.authToken", wrongToken), () -> {
                post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(503).body(equalTo(UNAVAILABLE));
                assertThat(twilio.onlyRequestTo(phone).status()).isEqualTo(401);
                assertThat(realm.admin().userByUsername(phone)).isEmpty();
                assertThat(event("REGISTER_ERROR", phone).path("details").path("reason").asText())
                        .startsWith("MISCONFIGURED: twilio error 20003 (HTTP 401): authentication failed")
                        .contains("realm attribute dropin.sms.twilio.authToken");

                String warning = log.awaitLine(log.lastMark(), Pattern.compile(" WARN .*" + Pattern.quote(realm.name())
                        + ".*twilio error 20003"), Duration.ofSeconds(10));
                assertThat(warning).contains("dropin.sms.twilio.accountSid").contains("dropin.sms.twilio.authToken")
                        .doesNotContain(wrongToken).doesNotContain(account.authToken());
                assertThat(log.linesFrom(log.lastMark())).noneMatch(line -> line.contains(" ERROR "))
                        .noneMatch(line -> line.contains(wrongToken));
            });
            // Fixed configuration, immediate retry.
            post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(200);
        }

        @Test
        void aSenderNumberTheAccountDoesNotOwnIs503() {
            String phone = Phones.next();
            withAttributes(Map.of("dropin.sms.twilio.from", "+15005550001"), () -> {
                post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(503).body(equalTo(UNAVAILABLE));
                assertThat(event("REGISTER_ERROR", phone).path("details").path("reason").asText())
                        .startsWith("MISCONFIGURED: twilio error 21606 (HTTP 400)")
                        .contains("dropin.sms.twilio.from");
            });
        }

        @Test
        void aMissingVaultEntryIs503AndNamesTheSetting() {
            String phone = Phones.next();
            withAttributes(Map.of("dropin.sms.twilio.authToken", "${vault.nosuchentry}"), () -> {
                post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(503).body(equalTo(UNAVAILABLE));
                assertThat(twilio.requestsTo(phone)).as("nothing sent without credentials").isEmpty();
                assertThat(event("REGISTER_ERROR", phone).path("details").path("reason").asText()).isEqualTo(
                        "MISCONFIGURED: twilio sender: authToken refers to a vault entry that is missing or empty "
                                + "(${vault.nosuchentry}) (realm attribute dropin.sms.twilio.authToken or option "
                                + "--spi-sms-sender--twilio--auth-token)");
            });
        }

        @Test
        void aTwilioThatDoesNotAnswerIsCutOffAtTheTimeoutWith503() {
            String phone = registered();
            twilio.on(phone, Behaviour.hang());

            Response response = post(LOGIN, Map.of("phone", phone));

            response.then().statusCode(503).body(equalTo(UNAVAILABLE));
            // The fake was still holding the request: Keycloak gave up on its own timeout, not on an answer.
            assertThat(twilio.isHanging(phone)).isTrue();
            assertThat(event("LOGIN_ERROR", phone).path("details").path("reason").asText())
                    .isEqualTo("UNAVAILABLE: twilio: no answer from the Twilio API within 4000 ms");

            twilio.on(phone, Behaviour.accept());
            post(LOGIN, Map.of("phone", phone)).then().statusCode(200);
        }

        @Test
        void anUnreachableTwilioIs503() {
            String phone = Phones.next();
            withAttributes(Map.of("dropin.sms.twilio.apiBaseUrl", "http://127.0.0.1:1"), () -> {
                post(REGISTER, Map.of("phonenumber", phone)).then().statusCode(503).body(equalTo(UNAVAILABLE));
                assertThat(event("REGISTER_ERROR", phone).path("details").path("reason").asText())
                        .startsWith("UNAVAILABLE: twilio: cannot reach the Twilio API: ConnectException");
            });
        }
    }
}
