package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.delivery.DeliveryException;
import io.github.dropin.keycloak.settings.RealmSettings;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings of the network senders read from SPI options (realm attributes are covered by the integration tests). */
class SenderSettingsTest {

    static SenderSettings settings(String provider, Map<String, String> options) {
        Config.Scope scope = new Config.AbstractScope() {
            @Override
            public String get(String key) {
                return options.get(key);
            }

            @Override
            public Config.Scope scope(String... scope) {
                return this;
            }

            @Override
            public Set<String> getPropertyNames() {
                return options.keySet();
            }

            @Override
            public Config.Scope root() {
                return this;
            }
        };
        return new SenderSettings(null, RealmSettings.of(null, "sms." + provider, scope), provider);
    }

    @Test
    void optionNamesAreKeycloaksDashedForm() {
        assertThat(SenderSettings.dashes("messagingServiceSid")).isEqualTo("messaging-service-sid");
        assertThat(settings("twilio", Map.of()).whereToSet("authToken"))
                .isEqualTo("realm attribute dropin.sms.twilio.authToken or option --spi-sms-sender--twilio--auth-token");
    }

    @Test
    void missingSettingsAreOperatorErrorsThatSayWhereToFixThem() {
        assertThatThrownBy(() -> settings("twilio", Map.of()).required("accountSid"))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DeliveryException.Reason.MISCONFIGURED);
                    assertThat(e.detail()).isEqualTo("twilio sender: accountSid is not set (realm attribute "
                            + "dropin.sms.twilio.accountSid or option --spi-sms-sender--twilio--account-sid)");
                });
    }

    @Test
    void urlsMustBeHttpWithoutCredentialsQueryOrFragment() throws DeliveryException {
        assertThat(settings("http", Map.of("url", "https://sms.example.com/send/")).url("url", null))
                .isEqualTo(URI.create("https://sms.example.com/send"));
        assertThat(settings("twilio", Map.of()).url("apiBaseUrl", "https://api.twilio.com"))
                .isEqualTo(URI.create("https://api.twilio.com"));
        for (String bad : new String[]{"ftp://x.example", "https://user:pw@x.example", "https://x.example/?a=1",
                "https://x.example/#f", "not a url", "/relative"}) {
            assertThatThrownBy(() -> settings("http", Map.of("url", bad)).url("url", null)).as(bad)
                    .isInstanceOfSatisfying(DeliveryException.class, e -> {
                        assertThat(e.reason()).isEqualTo(DeliveryException.Reason.MISCONFIGURED);
                        assertThat(e.detail()).doesNotContain("pw");
                    });
        }
    }

    @Test
    void timeoutsOutsideTheirRangeFallBackToTheDefault() {
        assertThat(settings("http", Map.of("readTimeout", "2500")).millis("readTimeout", 10_000, 100, 15_000))
                .isEqualTo(Duration.ofMillis(2500));
        assertThat(settings("http", Map.of("readTimeout", "0")).millis("readTimeout", 10_000, 100, 15_000))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(settings("http", Map.of("readTimeout", "600000")).millis("readTimeout", 10_000, 100, 15_000))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(settings("http", Map.of("readTimeout", "soon")).millis("readTimeout", 10_000, 100, 15_000))
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void httpGatewayStatusesMapToReasons() {
        SenderSettings s = settings("http", Map.of());
        assertThat(HttpSmsSender.failure(422, s).reason()).isEqualTo(DeliveryException.Reason.INVALID_RECIPIENT);
        assertThat(HttpSmsSender.failure(429, s).reason()).isEqualTo(DeliveryException.Reason.PROVIDER_RATE_LIMITED);
        assertThat(HttpSmsSender.failure(500, s).reason()).isEqualTo(DeliveryException.Reason.UNAVAILABLE);
        assertThat(HttpSmsSender.failure(503, s).reason()).isEqualTo(DeliveryException.Reason.UNAVAILABLE);
        assertThat(HttpSmsSender.failure(401, s).detail()).isEqualTo("http gateway answered HTTP 401: credentials "
                + "refused; check realm attribute dropin.sms.http.secret or option --spi-sms-sender--http--secret");
        assertThat(HttpSmsSender.failure(404, s).reason()).isEqualTo(DeliveryException.Reason.MISCONFIGURED);
        assertThat(HttpSmsSender.failure(302, s).reason()).isEqualTo(DeliveryException.Reason.MISCONFIGURED);
        assertThat(HttpSmsSender.failure(400, s).reason()).isEqualTo(DeliveryException.Reason.MISCONFIGURED);
    }
}
