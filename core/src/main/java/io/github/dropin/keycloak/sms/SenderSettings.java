package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.delivery.Channel;
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
 * The endpoint and the credentials are not read key by key, because a realm administrator is not the operator:
 * <ul>
 *     <li>a realm may point the sender at an endpoint of its own ({@link #endpoint}) only where the operator's
 *         allow-list ({@link Endpoints}, SPI option {@code allowed-endpoints}) admits it;</li>
 *     <li>a realm that does must bring its own credentials: the server's are only ever sent to the server's
 *         endpoint ({@link #credential});</li>
 *     <li>credentials travel over https, or plain http to loopback or an {@code http://} entry of the allow-list
 *         ({@link #requireSafeTransport}).</li>
 * </ul>
 * Secrets may be Keycloak vault references ({@code ${vault.key}}), resolved on every read so that a rotated
 * secret takes effect at once; plain values pass through unchanged.
 */
final class SenderSettings {

    /** Where a sender sends, and whether the realm chose it (rather than the server's option or the default). */
    record Endpoint(String key, URI uri, boolean realms) {
    }

    private final KeycloakSession session;
    private final RealmSettings settings;
    private final String provider;
    private final Endpoints allowed;

    SenderSettings(KeycloakSession session, RealmSettings settings, String provider, Endpoints allowed) {
        this.session = session;
        this.settings = settings;
        this.provider = provider;
        this.allowed = allowed;
    }

    /** The settings of sender {@code provider} in {@code realm}. */
    static SenderSettings of(KeycloakSession session, RealmModel realm, String provider) {
        Config.Scope options = Config.scope(SmsSenderSpi.NAME, provider);
        // The allow-list is the operator's: an SPI option only, never a realm attribute.
        return new SenderSettings(session, RealmSettings.of(realm, "sms." + provider, options), provider,
                Endpoints.parse(options.get(Endpoints.ALLOWED_ENDPOINTS)));
    }

    Optional<String> optional(String key) {
        return settings.get(key);
    }

    String required(String key) throws DeliveryException {
        return settings.get(key).orElseThrow(() -> misconfigured(key, "is not set"));
    }

    /** A value that may be a secret: resolved through the realm's vault when it is a {@code ${vault.key}} reference. */
    Optional<String> secret(String key) throws DeliveryException {
        return resolve(key, settings.get(key));
    }

    /**
     * A credential for {@code endpoint} (an account SID, a token, a secret; may be a vault reference): when the realm
     * chose the endpoint, the realm's own value only, so that the server's credentials never reach an endpoint
     * a realm administrator picked; otherwise as any other setting.
     */
    Optional<String> credential(String key, Endpoint endpoint) throws DeliveryException {
        return endpoint.realms() ? resolve(key, settings.realmValue(key)) : secret(key);
    }

    /** {@link #credential}, which must be set. */
    String requiredCredential(String key, Endpoint endpoint) throws DeliveryException {
        Optional<String> value = credential(key, endpoint);
        if (value.isPresent()) {
            return value.get();
        }
        if (endpoint.realms()) {
            throw configuration(key + " is not set for this realm (realm attribute " + settings.attributeName(key)
                    + "): a realm that sets " + settings.attributeName(endpoint.key()) + " must bring its own "
                    + "credentials, the server's are only sent to the server's endpoint");
        }
        throw misconfigured(key, "is not set");
    }

    private Optional<String> resolve(String key, Optional<String> value) throws DeliveryException {
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

    /**
     * The endpoint setting {@code key}: the server's (SPI option, else {@code defaultValue}), or the realm's own where
     * the realm sets another one and the operator's allow-list admits it.
     */
    Endpoint endpoint(String key, String defaultValue) throws DeliveryException {
        Optional<String> realmValue = settings.realmValue(key);
        Optional<String> serverValue = settings.serverValue(key).or(() -> Optional.ofNullable(defaultValue));
        URI server = serverValue.isPresent() ? parseUrl(key, serverValue.get()) : null;
        if (realmValue.isEmpty()) {
            if (server == null) {
                throw misconfigured(key, "is not set");
            }
            return new Endpoint(key, server, false);
        }
        URI chosen = parseUrl(key, realmValue.get());
        if (chosen.equals(server)) {
            // The server's own endpoint, written out in the realm too.
            return new Endpoint(key, server, false);
        }
        if (!allowed.allows(chosen)) {
            throw configuration("realm attribute " + settings.attributeName(key) + " names an endpoint the server does "
                    + "not allow realms to use (" + (allowed.isEmpty() ? "none is allowed" : "not in the list")
                    + " of option " + option(Endpoints.ALLOWED_ENDPOINTS) + "); remove the attribute to use the "
                    + "server's endpoint");
        }
        return new Endpoint(key, chosen, true);
    }

    /** Refuses to send credentials to {@code endpoint} over plain http, except to loopback or an allowed http entry. */
    void requireSafeTransport(Endpoint endpoint) throws DeliveryException {
        if (!allowed.mayCarryCredentials(endpoint.uri())) {
            throw configuration(endpoint.key() + " must be an https URL to carry credentials: plain http only to "
                    + "loopback or to an http:// entry of option " + option(Endpoints.ALLOWED_ENDPOINTS) + " ("
                    + (endpoint.realms() ? "realm attribute " + settings.attributeName(endpoint.key())
                    : "option " + option(endpoint.key())) + ")");
        }
    }

    /** An absolute http(s) URL without query or fragment; a trailing slash is dropped. */
    private URI parseUrl(String key, String value) throws DeliveryException {
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
        return "realm attribute " + settings.attributeName(key) + " or option " + option(key);
    }

    /** "--spi-sms-sender--twilio--auth-token". */
    String option(String key) {
        return "--spi-" + SmsSenderSpi.NAME + "--" + provider + "--" + dashes(key);
    }

    /** "twilio sender: authToken is not set (realm attribute ... or option ...)". */
    DeliveryException misconfigured(String key, String problem) {
        return configuration(key + " " + problem + " (" + whereToSet(key) + ")");
    }

    /** A configuration problem of this sender, found before sending: "twilio sender: ...". */
    DeliveryException configuration(String problem) {
        return DeliveryException.configuration(Channel.SMS, provider + " sender: " + problem);
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
