package io.github.dropin.keycloak.metrics;

import io.github.dropin.keycloak.code.CodePurpose;
import io.github.dropin.keycloak.code.RateLimitedException;
import io.github.dropin.keycloak.code.Verification;
import io.github.dropin.keycloak.delivery.DeliveryException;
import io.github.dropin.keycloak.testing.FakeKeycloak;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pack's meters without a server: their label values (bounded by construction, never a number or a path) and
 * what each call adds, in a registry of this test's added to the global one.
 */
class PackMetricsTest {

    private final RealmModel realm = new FakeKeycloak().realm("acme");
    private SimpleMeterRegistry registry;

    @BeforeEach
    void addRegistry() {
        registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
    }

    @AfterEach
    void removeRegistry() {
        Metrics.removeRegistry(registry);
        Metrics.globalRegistry.clear();
    }

    @Test
    void regionIsTheNumbersCountryNeverTheNumber() {
        assertThat(PackMetrics.region("+4915112345678")).isEqualTo("DE");
        assertThat(PackMetrics.region("+12025550123")).isEqualTo("US");
        assertThat(PackMetrics.region("+447700900123")).isEqualTo("GB");
        assertThat(PackMetrics.region("+80012345678")).isEqualTo("001");
        assertThat(PackMetrics.region("+999")).isEqualTo("unknown");
        assertThat(PackMetrics.region("0151 1234")).isEqualTo("unknown");
        assertThat(PackMetrics.region(null)).isEqualTo("unknown");
    }

    @Test
    void statusClassesAndSenderLabelsAreBounded() {
        assertThat(PackMetrics.statusClass(200)).isEqualTo("2xx");
        assertThat(PackMetrics.statusClass(429)).isEqualTo("4xx");
        assertThat(PackMetrics.statusClass(503)).isEqualTo("5xx");
        assertThat(PackMetrics.statusClass(999)).isEqualTo("unknown");
        assertThat(PackMetrics.senderLabel("twilio", true)).isEqualTo("twilio");
        assertThat(PackMetrics.senderLabel("twillio", false)).isEqualTo("unknown");
        assertThat(PackMetrics.senderLabel(null, false)).isEqualTo("unknown");
        assertThat(PackMetrics.senderLabel("Bad Id", true)).isEqualTo("unknown");
    }

    @Test
    void flowIsTheDialectOrTheLoginFlow() {
        assertThat(PackMetrics.flow(event(EventType.LOGIN, Map.of("dialect", "phone-otp")))).isEqualTo("phone-otp");
        assertThat(PackMetrics.flow(event(EventType.REGISTER, Map.of("dialect", "+4915112345678")))).isEqualTo("other");
        assertThat(PackMetrics.flow(event(EventType.LOGIN, Map.of(Details.AUTH_METHOD, "sms-code-request"))))
                .isEqualTo("direct-grant");
        assertThat(PackMetrics.flow(event(EventType.LOGIN, Map.of(Details.GRANT_TYPE, "password")))).isEqualTo("direct-grant");
        assertThat(PackMetrics.flow(event(EventType.CUSTOM_REQUIRED_ACTION,
                Map.of(Details.CUSTOM_REQUIRED_ACTION, "dropin-verify-phone")))).isEqualTo("required-action");
        assertThat(PackMetrics.flow(event(EventType.LOGIN, Map.of()))).isEqualTo("browser");
        assertThat(PackMetrics.flow(event(EventType.REGISTER, null))).isEqualTo("registration");
        assertThat(PackMetrics.flow(event(EventType.RESET_PASSWORD, Map.of()))).isEqualTo("reset-credentials");
        assertThat(PackMetrics.flow(event(EventType.UPDATE_EMAIL, Map.of()))).isEqualTo("other");
        assertThat(PackMetrics.flow((Event) null)).isEqualTo("other");
    }

    @Test
    void codeChecksCountByOutcome() {
        PackMetrics.codeVerified(realm, CodePurpose.LOGIN, null);
        PackMetrics.codeRefused(realm, CodePurpose.LOGIN, null, Verification.Outcome.INVALID, false);
        PackMetrics.codeRefused(realm, CodePurpose.LOGIN, null, Verification.Outcome.INVALID, false);
        PackMetrics.codeRefused(realm, CodePurpose.LOGIN, null, Verification.Outcome.NOT_FOUND, false);
        PackMetrics.codeRefused(realm, CodePurpose.LOGIN, null, Verification.Outcome.EXHAUSTED, false);
        // A right code that may not be used is answered as used up.
        PackMetrics.codeRefused(realm, CodePurpose.LOGIN, null, Verification.Outcome.VALID, false);
        PackMetrics.codeRefused(realm, CodePurpose.LOGIN, null, Verification.Outcome.VALID, true);

        assertThat(counts(PackMetrics.CODES_CHECKED, "outcome")).isEqualTo(Map.of(
                "verified", 1.0, "wrong", 2.0, "expired", 1.0, "exhausted", 2.0, "locked", 1.0));
        assertThat(registry.get(PackMetrics.CODES_CHECKED).tag("outcome", "wrong").counter().getId().getTags())
                .containsExactlyInAnyOrder(Tag.of("realm", "acme"), Tag.of("purpose", "login"), Tag.of("flow", "other"),
                        Tag.of("outcome", "wrong"));
    }

    @Test
    void issuedAndThrottledCodes() {
        PackMetrics.codesIssued(realm, CodePurpose.REGISTRATION, null, 2);
        PackMetrics.codeThrottled(realm, CodePurpose.REGISTRATION, null, RateLimitedException.Limit.RESEND_COOLDOWN);
        PackMetrics.codeThrottled(realm, null, null, RateLimitedException.Limit.IP_VERIFY);

        assertThat(registry.get(PackMetrics.CODES_ISSUED).tag("purpose", "registration").counter().count()).isEqualTo(2.0);
        assertThat(registry.get(PackMetrics.CODES_THROTTLED).tags("purpose", "registration", "limit", "resend_cooldown")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(PackMetrics.CODES_THROTTLED).tags("purpose", "any", "limit", "ip_verify")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void smsCountsByRegionAndCategoryAndTimesTheSender() {
        PackMetrics.smsSent(realm, "twilio", "+4915112345678", CodePurpose.LOGIN, Duration.ofMillis(40));
        PackMetrics.smsSent(realm, "twilio", "+4915187654321", CodePurpose.LOGIN, Duration.ofMillis(300));
        PackMetrics.smsFailed(realm, "twilio", "+12025550123", CodePurpose.REGISTRATION,
                DeliveryException.Reason.INVALID_RECIPIENT, Duration.ofMillis(20));
        // Misconfigured before any sender was reached: counted, not timed.
        PackMetrics.smsFailed(realm, "unknown", "+12025550123", CodePurpose.REGISTRATION,
                DeliveryException.Reason.MISCONFIGURED, null);

        assertThat(registry.get(PackMetrics.SMS_SENT).tags("region", "DE", "sender", "twilio", "purpose", "login")
                .counter().count()).isEqualTo(2.0);
        assertThat(registry.get(PackMetrics.SMS_FAILED).tags("region", "US", "category", "invalid_recipient")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(PackMetrics.SMS_FAILED).tags("sender", "unknown", "category", "misconfigured")
                .counter().count()).isEqualTo(1.0);
        Timer sent = registry.get(PackMetrics.SMS_SEND).tags("sender", "twilio", "outcome", "sent").timer();
        assertThat(sent.count()).isEqualTo(2);
        Map<Double, Double> buckets = Arrays.stream(sent.takeSnapshot().histogramCounts())
                .collect(Collectors.toMap(b -> b.bucket(java.util.concurrent.TimeUnit.MILLISECONDS), CountAtBucket::count));
        assertThat(buckets).containsEntry(25.0, 0.0).containsEntry(50.0, 1.0).containsEntry(250.0, 1.0)
                .containsEntry(500.0, 2.0).hasSize(PackMetrics.SEND_BUCKETS.length);
        assertThat(registry.get(PackMetrics.SMS_SEND).tags("outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(registry.find(PackMetrics.SMS_SEND).tags("sender", "unknown").timers()).isEmpty();
    }

    @Test
    void dialectRequestsByRouteTemplateAndStatusClass() {
        PackMetrics.dialectRequest("users-api", "api/v1/users/{id}", "GET", 200, 1_000_000);
        PackMetrics.dialectRequest("users-api", "api/v1/users/{id}", "GET", 204, 1_000_000);
        PackMetrics.dialectRequest("users-api", null, "GET", 404, 1_000_000);

        assertThat(registry.get(PackMetrics.DIALECT_REQUESTS).tags("route", "/api/v1/users/{id}", "status", "2xx")
                .timer().count()).isEqualTo(2);
        assertThat(registry.get(PackMetrics.DIALECT_REQUESTS).tags("route", "unmatched", "status", "4xx")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void shieldTripsByRule() {
        PackMetrics.shieldTrip(realm, RateLimitedException.Limit.IP_HOURLY);
        assertThat(registry.get(PackMetrics.SHIELD_TRIPS).tags("realm", "acme", "rule", "ip_hourly").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void noLabelValueIsANumberOrAPath() {
        PackMetrics.smsSent(realm, "log", "+4915112345678", CodePurpose.LOGIN, Duration.ZERO);
        PackMetrics.dialectRequest("phone-otp", "auth/api/verify", "POST", 400, 1);
        List<String> values = registry.getMeters().stream().map(Meter::getId)
                .flatMap(id -> id.getTags().stream()).map(Tag::getValue).toList();
        assertThat(values).isNotEmpty().noneMatch(v -> v.matches(".*\\d{5,}.*"));
    }

    private Map<String, Double> counts(String name, String tag) {
        return registry.find(name).counters().stream()
                .collect(Collectors.toMap(c -> c.getId().getTag(tag), c -> c.count(), Double::sum));
    }

    private static Event event(EventType type, Map<String, String> details) {
        Event event = new Event();
        event.setType(type);
        event.setDetails(details == null ? null : new HashMap<>(details));
        return event;
    }
}
