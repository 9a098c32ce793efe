package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.delivery.DeliveryException;
import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.testing.MapScope;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.vault.VaultStringSecret;
import org.keycloak.vault.VaultTranscriber;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Settings of the network senders read from SPI options and realm attributes, and what a realm may override: its own
 * endpoint only where allowed, and then only with its own credentials (the attacks themselves against a real Keycloak
 * are in SenderCredentialsIT).
 */
class SenderSettingsTest {

    static SenderSettings settings(String provider, Map<String, String> options) {
        return settings(provider, options, Map.of());
    }

    /** {@code provider}'s settings with these SPI options and a realm with these attributes. */
    static SenderSettings settings(String provider, Map<String, String> options, Map<String, String> attributes) {
        RealmModel realm = (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(),
                new Class<?>[]{RealmModel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "getName" -> "acme";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Config.Scope scope = new MapScope(options);
        return new SenderSettings(PLAIN_VAULT, RealmSettings.of(realm, "sms." + provider, scope), provider,
                Endpoints.parse(options.get(Endpoints.ALLOWED_ENDPOINTS)));
    }

    /** A session whose vault hands back every value as it is (no {@code ${vault.x}} references here). */
    static final KeycloakSession PLAIN_VAULT = proxy(KeycloakSession.class, (method, args) ->
            method.equals("vault") ? proxy(VaultTranscriber.class, (m, a) -> proxy(VaultStringSecret.class, (m2, a2) ->
                    m2.equals("get") ? Optional.of((String) a[0]) : null)) : null);

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (p, method, args) -> answer.apply(method.getName(), args));
    }

    static final Map<String, String> SERVER = Map.of("url", "https://gateway.example.com/send", "secret", "server-secret",
            "accountSid", "ACserver", "authToken", "server-token", "allowedEndpoints", "sms.acme.example,http://127.0.0.1");

    @Test
    void withoutARealmEndpointTheServersEndpointAndCredentialsAreUsed() throws DeliveryException {
        SenderSettings s = settings("http", SERVER, Map.of("dropin.sms.http.connectTimeout", "900"));
        SenderSettings.Endpoint endpoint = s.endpoint("url", null);
        assertThat(endpoint).isEqualTo(new SenderSettings.Endpoint("url", URI.create("https://gateway.example.com/send"), false));
        assertThat(s.credential("secret", endpoint)).contains("server-secret");
    }

    @Test
    void aRealmEndpointGetsTheRealmsCredentialsOnlyNeverTheServers() throws DeliveryException {
        SenderSettings s = settings("http", SERVER, Map.of("dropin.sms.http.url", "https://sms.acme.example/send"));
        SenderSettings.Endpoint endpoint = s.endpoint("url", null);
        assertThat(endpoint.realms()).isTrue();
        assertThat(s.credential("secret", endpoint)).isEmpty();

        SenderSettings twilio = settings("twilio", SERVER, Map.of("dropin.sms.twilio.apiBaseUrl", "https://sms.acme.example",
                "dropin.sms.twilio.authToken", "realm-token"));
        SenderSettings.Endpoint own = twilio.endpoint("apiBaseUrl", "https://api.twilio.com");
        assertThat(twilio.requiredCredential("authToken", own)).isEqualTo("realm-token");
        assertThatThrownBy(() -> twilio.requiredCredential("accountSid", own))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.configurationProblem()).contains("twilio sender: accountSid is not set for this realm "
                            + "(realm attribute dropin.sms.twilio.accountSid): a realm that sets "
                            + "dropin.sms.twilio.apiBaseUrl must bring its own credentials, the server's are only sent "
                            + "to the server's endpoint");
                    assertThat(e.detail()).doesNotContain("ACserver");
                });
    }

    @Test
    void aRealmThatWritesOutTheServersEndpointUsesTheServersCredentials() throws DeliveryException {
        SenderSettings s = settings("twilio", SERVER, Map.of("dropin.sms.twilio.apiBaseUrl", "https://API.twilio.com/"));
        SenderSettings.Endpoint endpoint = s.endpoint("apiBaseUrl", "https://api.twilio.com");
        assertThat(endpoint.realms()).isFalse();
        assertThat(s.requiredCredential("accountSid", endpoint)).isEqualTo("ACserver");
    }

    @Test
    void aRealmEndpointOutsideTheAllowListIsRefusedAndTheListIsNoRealmSetting() {
        Map<String, String> attributes = Map.of("dropin.sms.http.url", "https://collector.example.test/sms",
                "dropin.sms.http.allowedEndpoints", "collector.example.test",
                "dropin.allowedEndpoints", "collector.example.test");
        assertThatThrownBy(() -> settings("http", SERVER, attributes).endpoint("url", null))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.configurationProblem()).contains(
                        "http sender: realm attribute dropin.sms.http.url names an endpoint the server does not allow "
                                + "realms to use (not in the list of option --spi-sms-sender--http--allowed-endpoints); "
                                + "remove the attribute to use the server's endpoint"));
        assertThatThrownBy(() -> settings("http", Map.of(), attributes).endpoint("url", "https://gateway.example.com"))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.detail()).contains("none is allowed"));
    }

    @Test
    void credentialsGoOverHttpsOrToLoopbackOnly() throws DeliveryException {
        SenderSettings realmHttp = settings("http", SERVER, Map.of("dropin.sms.http.url", "http://sms.acme.example/send"));
        SenderSettings.Endpoint plain = realmHttp.endpoint("url", null);
        assertThatThrownBy(() -> realmHttp.requireSafeTransport(plain))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.configurationProblem()).contains(
                        "http sender: url must be an https URL to carry credentials: plain http only to loopback or "
                                + "to an http:// entry of option --spi-sms-sender--http--allowed-endpoints (realm "
                                + "attribute dropin.sms.http.url)"));
        SenderSettings loopback = settings("http", SERVER, Map.of("dropin.sms.http.url", "http://127.0.0.1:8080/send"));
        loopback.requireSafeTransport(loopback.endpoint("url", null));
        // The server's own endpoint is held to the same rule.
        SenderSettings server = settings("http", Map.of("url", "http://gateway.internal/send"));
        assertThatThrownBy(() -> server.requireSafeTransport(server.endpoint("url", null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.detail())
                        .endsWith("(option --spi-sms-sender--http--url)"));
        SenderSettings allowed = settings("http", Map.of("url", "http://gateway.internal/send",
                "allowedEndpoints", "http://gateway.internal"));
        allowed.requireSafeTransport(allowed.endpoint("url", null));
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
        assertThat(settings("http", Map.of("url", "https://sms.example.com/send/")).endpoint("url", null).uri())
                .isEqualTo(URI.create("https://sms.example.com/send"));
        assertThat(settings("twilio", Map.of()).endpoint("apiBaseUrl", "https://api.twilio.com").uri())
                .isEqualTo(URI.create("https://api.twilio.com"));
        for (String bad : new String[]{"ftp://x.example", "https://user:pw@x.example", "https://x.example/?a=1",
                "https://x.example/#f", "not a url", "/relative"}) {
            assertThatThrownBy(() -> settings("http", Map.of("url", bad)).endpoint("url", null)).as(bad)
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
