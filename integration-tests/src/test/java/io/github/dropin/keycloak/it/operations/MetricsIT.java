package io.github.dropin.keycloak.it.operations;

import io.github.dropin.keycloak.it.FakeTwilio;
import io.github.dropin.keycloak.it.FakeTwilio.Behaviour;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.Prometheus;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pack's meters as Keycloak serves them at {@code /metrics} (management port, {@code --metrics-enabled=true}),
 * after a scripted session through the {@code phone-otp} dialect: registrations, a wrong and a right code, a sign-in,
 * a resend the cooldown refuses, an SMS that Twilio (the {@link FakeTwilio fake}) fails, a registration the fraud
 * shield's hourly budget refuses, and a path no route serves.
 * Every count is checked exactly, as the difference between a scrape before and one after (the realm is this class's
 * own, the dialect-request meters are server-wide).
 */
@KeycloakRealm("realms/delivery.json")
class MetricsIT {

    static final String REGISTER = "/phone-otp/auth/api/Register/";
    static final String VERIFY = "/phone-otp/auth/api/verify/";
    static final String LOGIN = "/phone-otp/auth/api/login/";
    static final String LOGIN_VERIFY = "/phone-otp/auth/api/login/verify/";

    static Prometheus before;
    static Prometheus after;
    static String realmName;
    static List<String> phones;

    @BeforeAll
    static void scriptedSession(TestRealm realm, KeycloakServer server, SmsInbox inbox) throws IOException {
        realmName = realm.name();
        before = Prometheus.scrape(server);
        String alice = Phones.next();
        String bob = Phones.next();
        String carol = Phones.next();
        String dave = Phones.next();
        String erin = Phones.next();
        phones = List.of(alice, bob, carol, dave, erin);

        // Registration: one SMS, a wrong code, then the right one.
        inbox.mark();
        Response registered = post(realm, REGISTER, Map.of("phonenumber", alice));
        registered.then().statusCode(200);
        String code = inbox.awaitSms(realm.name(), alice).code();
        String token = registered.path("token");
        post(realm, VERIFY, Map.of("phone", alice, "token", token, "code", wrong(code))).then().statusCode(400);
        post(realm, VERIFY, Map.of("phone", alice, "token", token, "code", code)).then().statusCode(200);

        // Sign-in: one SMS, a resend inside the cooldown (refused), the right code.
        inbox.mark();
        Response login = post(realm, LOGIN, Map.of("phone", alice));
        login.then().statusCode(200);
        String loginCode = inbox.awaitSms(realm.name(), alice).code();
        post(realm, LOGIN, Map.of("phone", alice)).then().statusCode(429);
        post(realm, LOGIN_VERIFY, Map.of("user_id", login.path("user_id"), "code", loginCode)).then().statusCode(200);

        // A second registration, through the log sender too.
        post(realm, REGISTER, Map.of("phonenumber", bob)).then().statusCode(200);

        // An SMS Twilio refuses with a 503: the registration fails and counts as a failed SMS, not as an issued code.
        try (FakeTwilio twilio = FakeTwilio.start()) {
            FakeTwilio.Account account = twilio.newAccount();
            account.addNumber("+15005550006");
            twilio.on(carol, Behaviour.fail(503, 20503, "Service Unavailable"));
            Map<String, String> attributes = Map.of(
                    "dropin.sms.sender", "twilio",
                    "dropin.sms.twilio.apiBaseUrl", twilio.baseUrl(server),
                    "dropin.sms.twilio.accountSid", account.sid(),
                    "dropin.sms.twilio.authToken", account.authToken(),
                    "dropin.sms.twilio.from", "+15005550006");
            realm.admin().updateRealmAttributes(attributes);
            try {
                post(realm, REGISTER, Map.of("phonenumber", carol)).then().statusCode(503);
            } finally {
                Map<String, String> unset = new HashMap<>();
                attributes.keySet().forEach(key -> unset.put(key, ""));
                realm.admin().updateRealmAttributes(unset);
            }
            assertThat(twilio.requestsTo(carol)).hasSize(1);
        }

        // The fraud shield: at the start of a clock hour, with a realm budget of one SMS per hour, Dave's registration
        // is texted and Erin's is refused (one trip of the realm's hourly budget, one throttled registration code).
        long now = Instant.now().getEpochSecond() + server.clockOffset();
        server.moveClock(Duration.ofSeconds(3600 - now % 3600 + 1));
        realm.admin().updateRealmAttributes(Map.of("dropin.shield.smsHourlyBudget", "1"));
        try {
            post(realm, REGISTER, Map.of("phonenumber", dave)).then().statusCode(200);
            post(realm, REGISTER, Map.of("phonenumber", erin)).then().statusCode(429);
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.shield.smsHourlyBudget", ""));
        }

        // No route: answered by the dispatcher, counted as unmatched.
        given().get(realm.realmUrl() + "/phone-otp/no/such/route/4915100000000").then().statusCode(404);

        after = Prometheus.scrape(server);
        // For people reading a failure, and for the docs' list of what Keycloak serves beside the pack's meters.
        Files.writeString(Path.of("target/metrics-after-session.txt"), after.text());
    }

    @Test
    void smsSentAndFailedByRealmSenderRegionPurposeAndCategory() {
        assertThat(delta("dropin_sms_sent_total", Map.of())).isEqualTo(4);
        assertThat(delta("dropin_sms_sent_total",
                Map.of("sender", "log", "region", "DE", "purpose", "registration"))).isEqualTo(3);
        assertThat(delta("dropin_sms_sent_total", Map.of("sender", "log", "region", "DE", "purpose", "login")))
                .isEqualTo(1);

        assertThat(delta("dropin_sms_failed_total", Map.of())).isEqualTo(1);
        assertThat(delta("dropin_sms_failed_total", Map.of("sender", "twilio", "region", "DE",
                "purpose", "registration", "category", "unavailable"))).isEqualTo(1);
    }

    @Test
    void sendLatencyIsAHistogramPerSenderAndOutcome() {
        assertThat(delta("dropin_sms_send_seconds_count", Map.of("sender", "log", "outcome", "sent"))).isEqualTo(4);
        assertThat(delta("dropin_sms_send_seconds_count", Map.of("sender", "twilio", "outcome", "failed"))).isEqualTo(1);
        assertThat(delta("dropin_sms_send_seconds_count", Map.of())).isEqualTo(5);
        // Buckets are cumulative and end at +Inf with the count; the fixed bounds are all there.
        List<Prometheus.Sample> buckets = after.find("dropin_sms_send_seconds_bucket",
                Map.of("realm", realmName, "sender", "log", "outcome", "sent"));
        assertThat(buckets).extracting(b -> b.labels().get("le")).contains("0.025", "0.1", "1.0", "30.0", "+Inf");
        assertThat(buckets).filteredOn(b -> b.labels().get("le").equals("+Inf")).singleElement()
                .extracting(Prometheus.Sample::value).isEqualTo(4.0);
        assertThat(delta("dropin_sms_send_seconds_sum", Map.of("sender", "twilio"))).isPositive();
    }

    @Test
    void codesIssuedCheckedAndThrottledByPurposeAndFlow() {
        Map<String, String> registration = Map.of("purpose", "registration", "flow", "phone-otp");
        Map<String, String> login = Map.of("purpose", "login", "flow", "phone-otp");
        // Carol's code was issued, but her request failed: not counted.
        assertThat(delta("dropin_codes_issued_total", registration)).isEqualTo(3);
        assertThat(delta("dropin_codes_issued_total", login)).isEqualTo(1);
        assertThat(delta("dropin_codes_issued_total", Map.of())).isEqualTo(4);

        assertThat(delta("dropin_codes_checked_total", with(registration, "outcome", "wrong"))).isEqualTo(1);
        assertThat(delta("dropin_codes_checked_total", with(registration, "outcome", "verified"))).isEqualTo(1);
        assertThat(delta("dropin_codes_checked_total", with(login, "outcome", "verified"))).isEqualTo(1);
        assertThat(delta("dropin_codes_checked_total", Map.of())).isEqualTo(3);

        assertThat(delta("dropin_codes_throttled_total", with(login, "limit", "resend_cooldown"))).isEqualTo(1);
        assertThat(delta("dropin_codes_throttled_total", with(registration, "limit", "sms_realm_hourly"))).isEqualTo(1);
        assertThat(delta("dropin_codes_throttled_total", Map.of())).isEqualTo(2);
    }

    @Test
    void shieldTripsByRule() {
        assertThat(delta("dropin_shield_trips_total", Map.of("rule", "sms_realm_hourly"))).isEqualTo(1);
        assertThat(delta("dropin_shield_trips_total", Map.of())).isEqualTo(1);
    }

    @Test
    void dialectRequestsByRouteTemplateMethodAndStatusClass() {
        assertThat(requests("/auth/api/Register", "2xx")).isEqualTo(3);
        assertThat(requests("/auth/api/Register", "4xx")).isEqualTo(1);
        assertThat(requests("/auth/api/Register", "5xx")).isEqualTo(1);
        assertThat(requests("/auth/api/verify", "4xx")).isEqualTo(1);
        assertThat(requests("/auth/api/verify", "2xx")).isEqualTo(1);
        assertThat(requests("/auth/api/login", "2xx")).isEqualTo(1);
        assertThat(requests("/auth/api/login", "4xx")).isEqualTo(1);
        assertThat(requests("/auth/api/login/verify", "2xx")).isEqualTo(1);
        double unmatched = after.sum("dropin_dialect_requests_seconds_count",
                Map.of("dialect", "phone-otp", "route", "unmatched", "method", "GET", "status", "4xx"))
                - before.sum("dropin_dialect_requests_seconds_count",
                Map.of("dialect", "phone-otp", "route", "unmatched", "method", "GET", "status", "4xx"));
        assertThat(unmatched).isEqualTo(1);
    }

    @Test
    void noLabelValueCarriesANumberOrAPath() {
        for (String phone : phones) {
            assertThat(after.text()).doesNotContain(phone.substring(1));
        }
        assertThat(after.text()).doesNotContain("no/such/route");
        // Realm names are the administrators' (test realms carry random hex suffixes); every other value is the pack's.
        assertThat(after.samples()).filteredOn(s -> s.name().startsWith("dropin_"))
                .allSatisfy(s -> assertThat(s.labels().entrySet()).filteredOn(label -> !label.getKey().equals("realm"))
                        .noneMatch(label -> label.getValue().matches(".*\\d{5,}.*")));
    }

    @Test
    void everyQueryOfTheDashboardNamesAMetricTheServerExposes() throws Exception {
        Dashboard dashboard = Dashboard.read();
        assertThat(dashboard.queries()).hasSizeGreaterThan(10);
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (String query : dashboard.queries()) {
            for (String metric : Dashboard.metricNames(query)) {
                if (!after.names().contains(metric) && !Dashboard.NOT_YET_EXERCISED.containsKey(metric)) {
                    unknown.computeIfAbsent(metric, m -> new java.util.ArrayList<>()).add(query);
                }
            }
        }
        assertThat(unknown).as("metrics the dashboard queries but the server does not expose").isEmpty();
        // Once something exposes them, their entry goes (and the session above, or another test, counts them).
        assertThat(Dashboard.NOT_YET_EXERCISED.keySet()).allSatisfy(metric -> assertThat(after.names()).doesNotContain(metric));
        assertThat(dashboard.metrics()).containsAll(Dashboard.NOT_YET_EXERCISED.keySet());
    }

    private double requests(String route, String status) {
        Map<String, String> labels = Map.of("dialect", "phone-otp", "route", route, "method", "POST", "status", status);
        return after.sum("dropin_dialect_requests_seconds_count", labels)
                - before.sum("dropin_dialect_requests_seconds_count", labels);
    }

    /** What the session added to the samples of this class's realm named {@code name} with {@code labels}. */
    private static double delta(String name, Map<String, String> labels) {
        Map<String, String> inRealm = with(labels, "realm", realmName);
        return after.sum(name, inRealm) - before.sum(name, inRealm);
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(key, value);
        return all;
    }

    private static Response post(TestRealm realm, String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    /** A code of the same length that is not {@code code}. */
    static String wrong(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    }
}
