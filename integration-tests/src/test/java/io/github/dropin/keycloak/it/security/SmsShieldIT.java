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
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The SMS fraud shield through the dialects that text (phone-otp, token-auth): which numbers are texted, per-network
 * limits, budgets per destination prefix and per realm, the resend back-off. Every rule: no SMS, the caller's exact
 * answer, and where a budget is spent the admin event and the WARN. Realm {@code realms/security.json}; each test sets
 * the realm attributes it needs and puts them back. Budget tests first move the server's clock to the start of the
 * next window, so that the realm's earlier messages do not count.
 */
@KeycloakRealm("realms/security.json")
class SmsShieldIT {

    static final String OTP_REGISTER = "/phone-otp/auth/api/Register/";
    static final String REGISTER = "/token-auth/api/register/";
    static final String RESEND = "/token-auth/api/resend-code/";
    static final String PASSWORD = "correct horse 42";
    static final String OTP_INVALID_PHONE = "{\"error\":\"Invalid phone number\"}";
    static final String OTP_THROTTLED = "{\"message\":\"Too many requests, try again later\"}";
    static final String INVALID_PHONE = "{\"error_message\":{\"phone_number\":[\"Enter a valid phone number.\"]}}";
    /** libphonenumber's example numbers: a British mobile, a Berlin landline, a US number (fixed line or mobile). */
    static final String GB_MOBILE = "+447400123456";
    static final String DE_LANDLINE = "+4930123456";
    static final String US_NUMBER = "+12015550123";
    static final Duration QUIET = Duration.ofSeconds(2);
    private static final AtomicInteger NEXT = new AtomicInteger();

    final TestRealm realm;
    final SmsInbox inbox;

    SmsShieldIT(TestRealm realm, SmsInbox inbox) {
        this.realm = realm;
        this.inbox = inbox;
    }

    Response otpRegister(String phone) {
        return given().contentType(ContentType.JSON).body(Map.of("phonenumber", phone))
                .post(realm.realmUrl() + OTP_REGISTER);
    }

    Response tokenRegister(String username, String phone) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", PASSWORD);
        body.put("phone_number", phone);
        body.put("email", "");
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + REGISTER);
    }

    static String username() {
        return "shield" + NEXT.incrementAndGet() + "_" + System.nanoTime() % 100000;
    }

    /** A fresh valid German mobile number outside {@link Phones}' +49151 range: +49152... */
    static String otherPrefix() {
        return String.format("+49152%08d", Math.floorMod(System.nanoTime() / 1000 + NEXT.incrementAndGet(), 100_000_000L));
    }

    void withAttributes(Map<String, String> attributes, Runnable body) {
        realm.admin().updateRealmAttributes(attributes);
        try {
            body.run();
        } finally {
            Map<String, String> cleared = new HashMap<>();
            attributes.keySet().forEach(key -> cleared.put(key, ""));
            realm.admin().updateRealmAttributes(cleared);
        }
    }

    /** Moves the server's clock to the first second of the next window of {@code seconds} (an hour, a day). */
    static void startOfNextWindow(KeycloakServer server, long seconds) {
        long now = Instant.now().getEpochSecond() + server.clockOffset();
        server.moveClock(Duration.ofSeconds(seconds - now % seconds + 1));
    }

    static void assertOtpThrottled(Response response, long atMost) {
        response.then().statusCode(429).body(equalTo(OTP_THROTTLED));
        assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, atMost);
    }

    JsonNode shieldEvent(String path) {
        return realm.admin().adminEvents("DROPIN_SHIELD").stream()
                .filter(e -> path.equals(e.path("resourcePath").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no DROPIN_SHIELD admin event for " + path + ": "
                        + realm.admin().adminEvents("DROPIN_SHIELD")));
    }

    @Test
    void numbersOfDeniedOrNotAllowedRegionsAreInvalidAndGetNoSms() {
        withAttributes(Map.of("dropin.phone.deniedRegions", "GB"), () -> {
            otpRegister(GB_MOBILE).then().statusCode(400).body(equalTo(OTP_INVALID_PHONE));
            tokenRegister(username(), GB_MOBILE).then().statusCode(400).body(equalTo(INVALID_PHONE));
            inbox.assertNoSms(realm.name(), GB_MOBILE, QUIET);
            assertThat(realm.admin().usersByAttribute("phoneNumber", GB_MOBILE)).isEmpty();
        });
        withAttributes(Map.of("dropin.phone.allowedRegions", "DE,AT"), () -> {
            otpRegister(US_NUMBER).then().statusCode(400).body(equalTo(OTP_INVALID_PHONE));
            inbox.assertNoSms(realm.name(), US_NUMBER, QUIET);
            String german = Phones.next();
            otpRegister(german).then().statusCode(200);
            inbox.awaitSms(realm.name(), german);
        });
    }

    @Test
    void onlyMobileNumbersAreTextedUnlessTheRealmAllowsMoreTypes() {
        otpRegister(DE_LANDLINE).then().statusCode(400).body(equalTo(OTP_INVALID_PHONE));
        inbox.assertNoSms(realm.name(), DE_LANDLINE, QUIET);
        // +1 numbers are FIXED_LINE_OR_MOBILE: texted by default.
        otpRegister(US_NUMBER).then().statusCode(200);
        inbox.awaitSms(realm.name(), US_NUMBER);

        withAttributes(Map.of("dropin.phone.allowedNumberTypes", "MOBILE,FIXED_LINE"), () -> {
            otpRegister(DE_LANDLINE).then().statusCode(200);
            inbox.awaitSms(realm.name(), DE_LANDLINE);
        });
    }

    /** A number stored before its region was denied: refused before the SMS, with the answer of a refused number. */
    @Test
    void aStoredNumberOfANowDeniedRegionGetsNoSms() {
        String username = username();
        String phone = "+447400" + String.format("%06d", NEXT.incrementAndGet() * 7 % 1_000_000);
        tokenRegister(username, phone).then().statusCode(200);
        inbox.awaitSms(realm.name(), phone);
        withAttributes(Map.of("dropin.phone.deniedRegions", "GB"), () -> {
            inbox.mark();
            given().contentType(ContentType.JSON).body(Map.of("username", username, "password", PASSWORD))
                    .post(realm.realmUrl() + RESEND).then().statusCode(400).body(equalTo(INVALID_PHONE));
            inbox.assertNoSms(realm.name(), phone, QUIET);
            JsonNode event = realm.admin().events("SEND_VERIFY_EMAIL_ERROR").get(0);
            assertThat(event.path("error").asText()).isEqualTo("invalid_recipient");
            assertThat(event.path("details").path("reason").asText())
                    .isEqualTo("INVALID_RECIPIENT: the realm does not text this number: REGION_NOT_ALLOWED");
        });
    }

    /** Codes per client and hour count per network: with IPv4 grouped by /24, 127.0.0.31 and .32 are one client. */
    @Test
    void perClientLimitsOfCodesCountNetworks() {
        withAttributes(Map.of("dropin.shield.ipv4Prefix", "24", "dropin.phone-otp.codeHourlyLimitPerIp", "2"), () -> {
            for (int host : new int[] {31, 32}) {
                Loopback.from(host).contentType(ContentType.JSON).body(Map.of("phonenumber", Phones.next()))
                        .post(realm.realmUrl() + OTP_REGISTER).then().statusCode(200);
            }
            String phone = Phones.next();
            inbox.mark();
            Response refused = Loopback.from(33).contentType(ContentType.JSON)
                    .body(Map.of("phonenumber", phone)).post(realm.realmUrl() + OTP_REGISTER);
            refused.then().statusCode(429).body(equalTo(OTP_THROTTLED)).header("Retry-After", "3600");
            inbox.assertNoSms(realm.name(), phone, QUIET);
            assertThat(realm.admin().usersByAttribute("phoneNumber", phone)).isEmpty();
        });
    }

    /**
     * A budget per destination prefix (country calling code and 3 digits by default) and clock hour: once spent, SMS
     * to that prefix stop, with each dialect's 429, a WARN and an admin event, and resume in the next hour; other
     * prefixes go on.
     */
    @Test
    void aSpentPrefixBudgetStopsSmsToThatPrefixUntilTheNextHour(KeycloakServer server, ServerLog log) {
        startOfNextWindow(server, 3600);
        withAttributes(Map.of("dropin.shield.smsPrefixHourlyBudget", "2"), () -> {
            otpRegister(Phones.next()).then().statusCode(200);
            otpRegister(Phones.next()).then().statusCode(200);
            long mark = log.mark();
            String phone = Phones.next();
            Response refused = otpRegister(phone);
            assertOtpThrottled(refused, 3600);
            Response tokenAuth = tokenRegister(username(), phone);
            tokenAuth.then().statusCode(429);
            assertThat(tokenAuth.asString()).startsWith("{\"detail\":\"Request was throttled. Expected available in ");
            assertThat(Long.parseLong(tokenAuth.header("Retry-After"))).isBetween(1L, 3600L);
            inbox.assertNoSms(realm.name(), phone, QUIET);
            assertThat(realm.admin().usersByAttribute("phoneNumber", phone)).isEmpty();

            // Other prefixes are not held up.
            String elsewhere = otherPrefix();
            otpRegister(elsewhere).then().statusCode(200);
            inbox.awaitSms(realm.name(), elsewhere);

            log.awaitLine(mark, Pattern.compile(" WARN .*" + Pattern.quote(realm.name())
                    + ".*shield budget sms/prefix/\\+49151 is spent"), Duration.ofSeconds(10));
            JsonNode event = shieldEvent("dropin-shield/sms/prefix/+49151");
            assertThat(event.path("operationType").asText()).isEqualTo("ACTION");
            assertThat(event.path("details").path("limit").asText()).isEqualTo("2");

            // The next hour, the prefix gets SMS again.
            server.moveClock(Duration.ofSeconds(Long.parseLong(refused.header("Retry-After"))));
            otpRegister(phone).then().statusCode(200);
            inbox.awaitSms(realm.name(), phone);
        });
    }

    /** Realm-wide budgets per clock hour and per UTC day, whatever the destination. */
    @Test
    void aSpentRealmBudgetStopsEverySmsUntilTheWindowMoves(KeycloakServer server) {
        startOfNextWindow(server, 86400);
        // Both budgets set before the day's first SMS: a budget counts the places of its own size.
        withAttributes(Map.of("dropin.shield.smsHourlyBudget", "1", "dropin.shield.smsDailyBudget", "2"), () -> {
            otpRegister(Phones.next()).then().statusCode(200);
            String second = otherPrefix();
            inbox.mark();
            assertOtpThrottled(otpRegister(second), 3600);
            inbox.assertNoSms(realm.name(), second, QUIET);
            shieldEvent("dropin-shield/sms/hourly");

            // Without the hourly budget, the day's second SMS fits, the third does not.
            realm.admin().updateRealmAttributes(Map.of("dropin.shield.smsHourlyBudget", ""));
            otpRegister(second).then().statusCode(200);
            String third = otherPrefix();
            inbox.mark();
            Response refused = otpRegister(third);
            assertOtpThrottled(refused, 86400);
            assertThat(Long.parseLong(refused.header("Retry-After"))).isGreaterThan(3600);
            inbox.assertNoSms(realm.name(), third, QUIET);
            shieldEvent("dropin-shield/sms/daily");

            // Raising a spent budget takes effect at once.
            realm.admin().updateRealmAttributes(Map.of("dropin.shield.smsDailyBudget", "3"));
            otpRegister(third).then().statusCode(200);
        });
    }

    /** The resend back-off through token-auth's resend-code: its 429 with the seconds left. */
    @Test
    void theResendBackoffIsTheDialectsThrottleAnswer(KeycloakServer server) {
        String username = username();
        String phone = Phones.next();
        tokenRegister(username, phone).then().statusCode(200);
        Map<String, Object> credentials = Map.of("username", username, "password", PASSWORD);
        server.moveClock(Duration.ofSeconds(61));
        given().contentType(ContentType.JSON).body(credentials).post(realm.realmUrl() + RESEND)
                .then().statusCode(200);
        server.moveClock(Duration.ofSeconds(61));
        inbox.mark();
        Response refused = given().contentType(ContentType.JSON).body(credentials).post(realm.realmUrl() + RESEND);
        refused.then().statusCode(429);
        // 120 s after the second code, of which 61 (and the test's own time) have passed.
        long left = Long.parseLong(refused.header("Retry-After"));
        assertThat(left).isBetween(50L, 59L);
        assertThat(refused.asString()).isEqualTo("{\"detail\":\"Request was throttled. Expected available in " + left + " seconds.\"}");
        inbox.assertNoSms(realm.name(), phone, QUIET);
    }
}
