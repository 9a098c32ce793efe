package io.github.dropin.keycloak.it.security;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.it.KeycloakLine;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.Loopback;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Findings 6 and 10 of the security review, the parts about codes: guesses after the daily failure budget, new codes
 * without back-off, a full code space, and the key codes are hashed with. Realm {@code realms/security.json}.
 */
@KeycloakRealm("realms/security.json")
class CodeGuessingIT {

    static final String OTP_LOGIN = "/phone-otp/auth/api/login/";
    static final String OTP_LOGIN_VERIFY = "/phone-otp/auth/api/login/verify/";
    static final String REGISTER = "/token-auth/api/register/";
    static final String VERIFY = "/token-auth/api/verify-user/";
    static final String RESEND = "/token-auth/api/resend-code/";
    static final String PASSWORD = "correct horse 42";
    static final String THROTTLED_OTP = "{\"message\":\"Too many requests, try again later\"}";
    static final String EXHAUSTED_OTP = "{\"error\":\"Too many failed attempts, request a new code\"}";
    static final String INVALID_OTP = "{\"error\":\"Invalid code\"}";
    static final Duration QUIET = Duration.ofSeconds(2);
    private static final AtomicInteger NEXT = new AtomicInteger();

    final TestRealm realm;
    final SmsInbox inbox;

    CodeGuessingIT(TestRealm realm, SmsInbox inbox) {
        this.realm = realm;
        this.inbox = inbox;
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    /** A user holding {@code phone} verified, who signs in with phone-otp; returns the id. */
    String phoneUser(String phone) {
        return realm.admin().createUser(Map.of("username", "otp" + NEXT.incrementAndGet() + "_" + System.nanoTime() % 100000,
                "enabled", true, "attributes", Map.of(Dropin.ATTR_PHONE_NUMBER, List.of(phone),
                        Dropin.ATTR_PHONE_NUMBER_VERIFIED, List.of("true"))));
    }

    static String wrong(String code) {
        return (char) ('0' + (code.charAt(0) - '0' + 1) % 10) + code.substring(1);
    }

    /**
     * Finding 6: once a number's daily budget of wrong codes is spent, no code is compared any more, not even a new
     * one (before, each new code still got one comparison: about 136 guesses per number per day).
     */
    @Test
    void onceTheDailyFailureBudgetIsSpentNoCodeIsCompared() {
        String phone = Phones.next();
        String userId = phoneUser(phone);
        realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeDailyFailureLimit", "2",
                "dropin.phone-otp.codeResendCooldown", "0"));
        try {
            post(OTP_LOGIN, Map.of("phone", phone)).then().statusCode(200);
            String first = inbox.awaitSms(realm.name(), phone).code();
            post(OTP_LOGIN_VERIFY, Map.of("user_id", userId, "code", wrong(first))).then().statusCode(400).body(equalTo(INVALID_OTP));
            post(OTP_LOGIN_VERIFY, Map.of("user_id", userId, "code", wrong(wrong(first)))).then().statusCode(400);

            inbox.mark();
            post(OTP_LOGIN, Map.of("phone", phone)).then().statusCode(200);
            String second = inbox.awaitSms(realm.name(), phone).code();
            // The right code, but the budget is spent: not compared, no session.
            post(OTP_LOGIN_VERIFY, Map.of("user_id", userId, "code", second)).then().statusCode(400)
                    .body(equalTo(EXHAUSTED_OTP));
            assertThat(realm.admin().userSessions(userId)).isEmpty();
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeDailyFailureLimit", "",
                    "dropin.phone-otp.codeResendCooldown", ""));
        }
    }

    /**
     * Finding 6 and the SMS fraud shield: new codes for one number and purpose back off within the hour, each wait
     * twice the one before (the cooldown, then 2x, 4x, ... capped), beyond the fixed cooldown.
     */
    @Test
    void newCodesForOneNumberBackOffWithinTheHour(KeycloakServer server) {
        String phone = Phones.next();
        phoneUser(phone);
        realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeResendCooldown", "60"));
        try {
            post(OTP_LOGIN, Map.of("phone", phone)).then().statusCode(200);
            server.moveClock(Duration.ofSeconds(61));
            post(OTP_LOGIN, Map.of("phone", phone)).then().statusCode(200);
            server.moveClock(Duration.ofSeconds(61));
            inbox.mark();
            // The third code waits 2 x 60 s after the second.
            Response third = post(OTP_LOGIN, Map.of("phone", phone));
            third.then().statusCode(429).body(equalTo(THROTTLED_OTP));
            assertThat(Long.parseLong(third.header("Retry-After"))).isBetween(55L, 59L);
            inbox.assertNoSms(realm.name(), phone, QUIET);
            server.moveClock(Duration.ofSeconds(60));
            post(OTP_LOGIN, Map.of("phone", phone)).then().statusCode(200);
            inbox.awaitSms(realm.name(), phone);
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.phone-otp.codeResendCooldown", ""));
        }
    }

    /**
     * Finding 10: unique codes (token-auth's, which alone name their account) have a cap on how many may be pending,
     * and a full code space is a clean 429 with {@code Retry-After}, not a 500. The cap also bounds what one guess can
     * hit. Here the cap is 3.
     */
    @Test
    void aFullCodeSpaceIsACleanThrottle() {
        realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeMaxPending", "3"));
        try {
            // Other tests of the class may hold pending codes too: at most 3 registrations get one.
            int registered = 0;
            Response refused = null;
            String refusedPhone = null;
            for (int i = 0; i < 4 && refused == null; i++) {
                String phone = Phones.next();
                inbox.mark();
                Response response = register(phone);
                if (response.statusCode() == 200) {
                    registered++;
                } else {
                    refused = response;
                    refusedPhone = phone;
                }
            }
            assertThat(registered).isLessThanOrEqualTo(3);
            assertThat(refused).as("a registration beyond the cap").isNotNull();
            refused.then().statusCode(429);
            assertThat(refused.asString()).isEqualTo("{\"detail\":\"Request was throttled. Expected available in 600 seconds.\"}");
            assertThat(refused.header("Retry-After")).isEqualTo("600");
            inbox.assertNoSms(realm.name(), refusedPhone, QUIET);
            assertThat(realm.admin().usersByAttribute("phoneNumber", refusedPhone)).isEmpty();
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeMaxPending", ""));
        }
    }

    Response register(String phone) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", "space" + NEXT.incrementAndGet() + "_" + System.nanoTime() % 100000);
        body.put("password", PASSWORD);
        body.put("phone_number", phone);
        // Each from its own address, so that the per-address limit stays out of the way.
        return Loopback.from(120 + NEXT.get() % 100).contentType(ContentType.JSON).body(body).post(realm.realmUrl() + REGISTER);
    }

    /**
     * Finding 10: codes are hashed with a key of their own, not with the realm's HS512 token key, so rotating that key
     * (a routine administrative task) neither drops pending codes nor resets their limits. The pack's secret is not
     * readable through the admin API.
     */
    @Test
    void rotatingTheRealmsHmacKeyKeepsCodesAndLimits() {
        String username = "rotate" + NEXT.incrementAndGet();
        String phone = Phones.next();
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", PASSWORD);
        body.put("phone_number", phone);
        post(REGISTER, body).then().statusCode(200);
        String code = inbox.awaitSms(realm.name(), phone).code();
        post(RESEND, Map.of("username", username, "password", PASSWORD)).then().statusCode(429);

        rotateHs512Key();

        // The cooldown survived the rotation...
        post(RESEND, Map.of("username", username, "password", PASSWORD)).then().statusCode(429);
        // ...and so did the code.
        post(VERIFY, Map.of("code", code)).then().statusCode(200);

        String keyProviders = realm.admin().request().queryParam("type", "org.keycloak.keys.KeyProvider")
                .get("/components").then().statusCode(200).extract().asString();
        if (KeycloakLine.internalComponents()) {
            assertThat(keyProviders).doesNotContain("\"secret\"").doesNotContain("dropin");
        } else {
            // Keycloak 26.4 lists every component; the code secret's value is masked like any secret.
            assertThat(keyProviders).contains("\"name\":\"dropin-code-secret\"")
                    .contains("\"config\":{\"secret\":[\"**********\"]}");
        }
    }

    /** What an administrator does to rotate the realm's HMAC key: a new HS512 provider, the old ones deleted. */
    void rotateHs512Key() {
        String realmId = realm.admin().realm().path("id").asText();
        List<Map<String, Object>> keyProviders = realm.admin().request().queryParam("type", "org.keycloak.keys.KeyProvider")
                .get("/components").then().statusCode(200).extract().jsonPath().getList("");
        realm.admin().request().body(Map.of("name", "hmac-rotated", "providerId", "hmac-generated",
                        "providerType", "org.keycloak.keys.KeyProvider", "parentId", realmId,
                        "config", Map.of("priority", List.of("500"), "algorithm", List.of("HS512"))))
                .post("/components").then().statusCode(201);
        for (Map<String, Object> provider : keyProviders) {
            if ("hmac-generated".equals(provider.get("providerId"))) {
                realm.admin().request().delete("/components/{id}", provider.get("id")).then().statusCode(204);
            }
        }
    }
}
