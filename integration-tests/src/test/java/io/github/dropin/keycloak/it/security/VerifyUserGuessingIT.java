package io.github.dropin.keycloak.it.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.Loopback;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.ServerLog;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Finding 2 of the security review: token-auth's {@code verify-user} takes a code and nothing else, and a 5-digit code
 * identifies its account by itself, so guesses from many client addresses cover the code space and verify numbers and
 * addresses the guesser does not own. Realm {@code realms/security.json} (the pack's defaults). The test that spends
 * the realm's budget runs last: a spent budget would refuse the other tests' code-only verifications.
 */
@KeycloakRealm("realms/security.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyUserGuessingIT {

    static final String REGISTER = "/token-auth/api/register/";
    static final String VERIFY = "/token-auth/api/verify-user/";
    static final String PASSWORD = "correct horse 42";
    static final String VERIFIED = "{\"success_message\":\"Successfully Verified. You can now log in.\"}";
    static final String INVALID_CODE = "{\"error_message\":{\"code\":[\"Invalid or expired verification code.\"]}}";
    private static final AtomicInteger NEXT = new AtomicInteger();

    final TestRealm realm;
    final SmsInbox inbox;

    VerifyUserGuessingIT(TestRealm realm, SmsInbox inbox) {
        this.realm = realm;
        this.inbox = inbox;
    }

    /** A registered account with a phone number: username, phone, email, its SMS code. */
    Map<String, String> register(int fromHost) {
        String username = "guess" + System.nanoTime() % 1_000_000_000L + "_" + NEXT.incrementAndGet();
        String phone = Phones.next();
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", PASSWORD);
        body.put("phone_number", phone);
        Loopback.from(fromHost).contentType(ContentType.JSON).body(body).post(realm.realmUrl() + REGISTER)
                .then().statusCode(200);
        return Map.of("username", username, "phone", phone, "code", inbox.awaitSms(realm.name(), phone).code());
    }

    Response verify(int fromHost, Map<String, Object> body) {
        return Loopback.from(fromHost).contentType(ContentType.JSON).body(body).post(realm.realmUrl() + VERIFY);
    }

    /** 5-digit codes in a fixed order, none of them one of {@code avoid}. */
    static List<String> wrongCodes(int count, Set<String> avoid) {
        List<String> codes = new ArrayList<>();
        for (int i = 0; codes.size() < count; i++) {
            String code = String.format("%05d", (i * 7919 + 12345) % 100_000);
            if (!avoid.contains(code)) {
                codes.add(code);
            }
        }
        return codes;
    }

    static void assertThrottled(Response response) {
        response.then().statusCode(429);
        assertThat(response.asString()).startsWith("{\"detail\":\"Request was throttled. Expected available in ");
        assertThat(response.header("Retry-After")).isNotNull();
    }

    /** Per-address limits count per network: with IPv4 grouped by /24, 127.0.0.50 and 127.0.0.51 share one budget. */
    @Test
    @Order(1)
    void perAddressLimitsAreGroupedByNetwork() {
        realm.admin().updateRealmAttributes(Map.of("dropin.shield.ipv4Prefix", "24",
                "dropin.token-auth.codeVerifyHourlyLimitPerIp", "5"));
        try {
            for (String code : wrongCodes(5, Set.of())) {
                verify(50, Map.of("code", code)).then().statusCode(400).body(equalTo(INVALID_CODE));
            }
            assertThrottled(verify(51, Map.of("code", "54321")));
            assertThrottled(verify(50, Map.of("code", "54321")));
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.shield.ipv4Prefix", "",
                    "dropin.token-auth.codeVerifyHourlyLimitPerIp", ""));
        }
        // By default (/32) another address of the same /24 is another client.
        verify(52, Map.of("code", "54321")).then().statusCode(400).body(equalTo(INVALID_CODE));
    }

    /**
     * Beyond the seed: {@code verify-user} also takes {@code username}, {@code email} or {@code phone_number}. Then a
     * guess is compared with that account's codes only, and wrong guesses use up that account's attempts.
     */
    @Test
    @Order(2)
    void anIdentifierLimitsGuessesToThatAccountsCodes() {
        Map<String, String> alice = register(70);
        Map<String, String> bob = register(71);

        // Bob's code, naming Alice: wrong for Alice, and Bob's code is still his.
        verify(72, Map.of("code", bob.get("code"), "username", alice.get("username")))
                .then().statusCode(400).body(equalTo(INVALID_CODE));
        verify(72, Map.of("code", bob.get("code"), "phone_number", bob.get("phone")))
                .then().statusCode(200).body(equalTo(VERIFIED));
        JsonNode bobUser = realm.admin().userByUsername(bob.get("username")).orElseThrow();
        assertThat(bobUser.path("attributes").path("phoneNumberVerified").path(0).asText()).isEqualTo("true");

        // Guesses naming Alice use up her code's attempts (5 per code): the first wrong guess was Bob's code.
        for (String wrong : wrongCodes(4, Set.of(alice.get("code"), bob.get("code")))) {
            verify(73, Map.of("code", wrong, "username", alice.get("username"))).then().statusCode(400);
        }
        verify(73, Map.of("code", alice.get("code"), "username", alice.get("username")))
                .then().statusCode(400).body(equalTo(INVALID_CODE));
        JsonNode aliceUser = realm.admin().userByUsername(alice.get("username")).orElseThrow();
        assertThat(aliceUser.path("attributes").path("phoneNumberVerified").path(0).asText()).isEqualTo("false");
    }

    /**
     * Wrong codes from many addresses, each well under its per-address limit, spend a realm-wide budget of failed
     * guesses; once it is spent, code-only verifications get 429 with {@code Retry-After}, an admin event and a WARN,
     * while an app that names the account still verifies.
     */
    @Test
    @Order(3)
    void wrongCodesFromManyAddressesSpendARealmWideBudget(ServerLog log, KeycloakServer server) {
        // A fresh window of the budget (clock hours), which the earlier tests' wrong codes do not share.
        long now = java.time.Instant.now().getEpochSecond() + server.clockOffset();
        server.moveClock(Duration.ofSeconds(3600 - now % 3600 + 1));
        Map<String, String> victim = register(90);
        realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.codeVerifyFailureBudget", "40"));
        long mark = log.mark();
        List<Integer> statuses = new ArrayList<>();
        List<String> guesses = wrongCodes(60, Set.of(victim.get("code")));
        for (int i = 0; i < guesses.size(); i++) {
            Response response = verify(100 + i / 10, Map.of("code", guesses.get(i)));
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                assertThrottled(response);
                assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, 3600L);
            }
        }
        assertThat(statuses.subList(0, 40)).as("%s", statuses).containsOnly(400);
        assertThat(statuses.subList(40, 60)).as("%s", statuses).containsOnly(429);

        // Spent for everybody who sends only a code, the right one too...
        assertThrottled(verify(110, Map.of("code", victim.get("code"))));
        // ...but an app that names the account is not held up by strangers' guesses.
        verify(110, Map.of("code", victim.get("code"), "username", victim.get("username")))
                .then().statusCode(200).body(equalTo(VERIFIED));

        log.awaitLine(mark, Pattern.compile(" WARN .*" + Pattern.quote(realm.name()) + ".*verify-user"), Duration.ofSeconds(10));
        JsonNode alert = realm.admin().adminEvents("DROPIN_SHIELD").get(0);
        assertThat(alert.path("operationType").asText()).isEqualTo("ACTION");
        assertThat(alert.path("resourcePath").asText()).isEqualTo("dropin-shield/token-auth/verify-failures");
    }
}
