package io.github.dropin.keycloak.it.security;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The SMS fraud shield on Keycloak's own login: the sign-in phone page and the direct-grant code request endpoint
 * (realm {@code realms/native-login.json}: the browser flow "dropin browser" with a 30 s cooldown, client
 * {@code phone-app} for the direct grant). Every rule: no SMS, and the page's message or the endpoint's OAuth2 error.
 */
@KeycloakRealm("realms/native-login.json")
class LoginShieldIT {

    static final String GB_MOBILE = "+447400123456";
    static final String DE_LANDLINE = "+4930123456";
    static final String CODE_SENT = "{\"expires_in\":300,\"code_length\":6,\"resend_interval\":30}";
    static final String INVALID_NUMBER = "{\"error\":\"invalid_request\",\"error_description\":\"Invalid parameter: phone_number\"}";
    static final Duration QUIET = Duration.ofSeconds(2);
    private static final AtomicInteger NEXT = new AtomicInteger();

    final TestRealm realm;
    final SmsInbox inbox;

    LoginShieldIT(TestRealm realm, SmsInbox inbox) {
        this.realm = realm;
        this.inbox = inbox;
    }

    @BeforeAll
    static void storeAdminEvents(TestRealm realm) {
        realm.admin().updateRealm(Map.of("adminEventsEnabled", true));
    }

    String user(String phone) {
        return realm.admin().createUser(Map.of("username", "shield" + NEXT.incrementAndGet() + "_" + System.nanoTime() % 100000,
                "enabled", true, "attributes", Map.of(Dropin.ATTR_PHONE_NUMBER, List.of(phone),
                        Dropin.ATTR_PHONE_NUMBER_VERIFIED, List.of("true"))));
    }

    Response requestCode(String phone) {
        return given().contentType("application/x-www-form-urlencoded").formParam("client_id", "phone-app")
                .formParam("phone_number", phone).post(realm.realmUrl() + "/sms-code/request");
    }

    /** The phone page of a fresh sign-in, submitted with {@code phone}: the page that comes back. */
    Response submitPhone(LoginForms browser, String phone) {
        return browser.submit(browser.startLogin("native-app"), "dropin-phone-form", Map.of("phoneNumber", phone));
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

    static void assertSlowDown(Response response) {
        response.then().statusCode(429).contentType("application/json").body("error", equalTo("slow_down"));
        assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, 3600L);
    }

    @Test
    void numbersTheRealmDoesNotTextAreInvalidOnThePhonePageAndAtTheCodeRequest() {
        withAttributes(Map.of("dropin.phone.deniedRegions", "GB"), () -> {
            String page = submitPhone(new LoginForms(realm), GB_MOBILE).asString();
            assertThat(LoginForms.textOf(page, "input-error-phoneNumber")).isEqualTo("This is not a valid phone number.");
            requestCode(GB_MOBILE).then().statusCode(400).body(equalTo(INVALID_NUMBER));
            inbox.assertNoSms(realm.name(), GB_MOBILE, QUIET);
        });
        String page = submitPhone(new LoginForms(realm), DE_LANDLINE).asString();
        assertThat(LoginForms.textOf(page, "input-error-phoneNumber")).isEqualTo("This is not a valid phone number.");
        requestCode(DE_LANDLINE).then().statusCode(400).body(equalTo(INVALID_NUMBER));
        inbox.assertNoSms(realm.name(), DE_LANDLINE, QUIET);
    }

    /**
     * A spent realm budget is {@code slow_down} at the code request endpoint, for numbers with and without an account
     * alike, and the login page's message; silent codes (numbers without an account) never spend it.
     */
    @Test
    void aSpentBudgetIsSlowDownAtTheCodeRequestAndAMessageOnTheLoginPage(KeycloakServer server) {
        long now = Instant.now().getEpochSecond() + server.clockOffset();
        server.moveClock(Duration.ofSeconds(3600 - now % 3600 + 1));
        withAttributes(Map.of("dropin.shield.smsHourlyBudget", "1"), () -> {
            // Silent codes take no place in the budget...
            for (int i = 0; i < 3; i++) {
                requestCode(Phones.next()).then().statusCode(200).body(equalTo(CODE_SENT));
            }
            // ...so the one SMS of the hour still goes to a real account.
            String first = Phones.next();
            user(first);
            requestCode(first).then().statusCode(200).body(equalTo(CODE_SENT));
            inbox.awaitSms(realm.name(), first);

            String known = Phones.next();
            user(known);
            inbox.mark();
            assertSlowDown(requestCode(known));
            assertSlowDown(requestCode(Phones.next()));

            Response page = submitPhone(new LoginForms(realm), known);
            assertThat(LoginForms.hasForm(page.asString(), "dropin-code-form")).isTrue();
            assertThat(page.asString()).contains("Too many codes requested. Please try again later.");
            inbox.assertNoSms(realm.name(), known, QUIET);
            assertThat(realm.admin().adminEvents("DROPIN_SHIELD"))
                    .anyMatch(e -> e.path("resourcePath").asText().equals("dropin-shield/sms/hourly"));
        });
    }

    /** The growing back-off on the code page: "send a new code" says how many seconds are left. */
    @Test
    void theBackoffOnTheCodePageSaysHowLongToWait(KeycloakServer server) {
        String phone = Phones.next();
        user(phone);
        LoginForms browser = new LoginForms(realm);
        Response codePage = submitPhone(browser, phone);
        inbox.awaitSms(realm.name(), phone);
        server.moveClock(Duration.ofSeconds(31));
        inbox.mark();
        codePage = browser.submit(codePage, "dropin-code-form", Map.of("resend", "true"));
        assertThat(codePage.asString()).contains("We have sent you a new code.");
        inbox.awaitSms(realm.name(), phone);
        // The third code waits 2 x 30 s after the second.
        server.moveClock(Duration.ofSeconds(31));
        inbox.mark();
        codePage = browser.submit(codePage, "dropin-code-form", Map.of("resend", "true"));
        java.util.regex.Matcher wait = java.util.regex.Pattern.compile("Please wait (\\d+) seconds before requesting a new code\\.")
                .matcher(codePage.asString());
        assertThat(wait.find()).as("the back-off's message").isTrue();
        // 60 s after the second code, of which 31 (and the test's own time) have passed.
        assertThat(Integer.parseInt(wait.group(1))).isBetween(20, 29);
        inbox.assertNoSms(realm.name(), phone, QUIET);
    }
}
