package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.delivery.DeliveryException;
import io.github.dropin.keycloak.settings.RealmSettings;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.vault.VaultStringSecret;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one network sender's settings for one realm: realm attribute {@code dropin.sms.<provider>.<key>}, then the
 * provider's SPI option {@code --spi-sms-sender--<provider>--<key-in-dashes>}, then the default. Every problem is
 * an {@link DeliveryException.Reason#MISCONFIGURED} whose detail names both places to fix it, and never a value.
 * <p>
 * Secrets may be Keycloak vault references ({@code ${vault.key}}), resolved on every read so that a rotated
 * secret takes effect at once; plain values pass through unchanged.
 */
final class SenderSettings {

    private final KeycloakSession session;
    private final RealmSettings settings;
    private final String provider;

    SenderSettings(KeycloakSession session, RealmSettings settings, String provider) {
        this.session = session;
        this.settings = settings;
        this.provider = provider;
    }

    /** The settings of sender {@code provider} in {@code realm}. */
    static SenderSettings of(KeycloakSession session, RealmModel realm, String provider) {
        return new SenderSettings(session, RealmSettings.of(realm, "sms." + provider, Config.scope(SmsSenderSpi.NAME, provider)),
                provider);
    }

    Optional<String> optional(String key) {
        return settings.get(key);
    }

    String required(String key) throws DeliveryException {
        return settings.get(key).orElseThrow(() -> misconfigured(key, "is not set"));
    }

    /** A value that may be a secret: resolved through the realm's vault when it is a {@code ${vault.key}} reference. */
    Optional<String> secret(String key) throws DeliveryException {
        Optional<String> value = settings.get(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(value.get())) {
            // Files written with echo end in a newline; no credential of these APIs contains whitespace.
            Optional<String> resolved = secret.get().map(String::strip).filter(s -> !s.isEmpty());
            if (resolved.isEmpty()) {
                // The reference names a vault key, not the secret: safe to show.
                throw misconfigured(key, "refers to a vault entry that is missing or empty (" + value.get() + ")");
            }
            return resolved;
        }
    }

    String requiredSecret(String key) throws DeliveryException {
        return secret(key).orElseThrow(() -> misconfigured(key, "is not set"));
    }

    /** An absolute http(s) URL without query or fragment; a trailing slash is dropped. */
    URI url(String key, String defaultValue) throws DeliveryException {
        String value = settings.get(key, defaultValue);
        if (value == null) {
            throw misconfigured(key, "is not set");
        }
        try {
            URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw misconfigured(key, "must be an http(s) URL without user info, query or fragment");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw misconfigured(key, "is not a valid URL");
        }
    }

    /** Milliseconds between {@code min} and {@code max}; anything else falls back to the default. */
    Duration connectTimeout() {
        return millis(NetworkSenderFactory.CONNECT_TIMEOUT, NetworkSenderFactory.DEFAULT_CONNECT_TIMEOUT_MS, 100,
                NetworkSenderFactory.MAX_CONNECT_TIMEOUT_MS);
    }

    Duration readTimeout() {
        return millis(NetworkSenderFactory.READ_TIMEOUT, NetworkSenderFactory.DEFAULT_READ_TIMEOUT_MS, 100,
                NetworkSenderFactory.MAX_READ_TIMEOUT_MS);
    }

    Duration millis(String key, long defaultMillis, long min, long max) {
        long value = settings.getInt(key, (int) defaultMillis);
        return Duration.ofMillis(value < min || value > max ? defaultMillis : value);
    }

    /** "realm attribute dropin.sms.twilio.authToken or option --spi-sms-sender--twilio--auth-token". */
    String whereToSet(String key) {
        return "realm attribute " + settings.attributeName(key) + " or option --spi-" + SmsSenderSpi.NAME + "--"
                + provider + "--" + dashes(key);
    }

    /** "twilio sender: authToken is not set (realm attribute ... or option ...)". */
    DeliveryException misconfigured(String key, String problem) {
        return DeliveryException.sms(DeliveryException.Reason.MISCONFIGURED,
                provider + " sender: " + key + " " + problem + " (" + whereToSet(key) + ")");
    }

    /** {@code accountSid} → {@code account-sid}, the way Keycloak maps SPI option names to config keys. */
    static String dashes(String key) {
        StringBuilder out = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
