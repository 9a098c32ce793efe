package io.github.dropin.keycloak.settings;

import io.github.dropin.keycloak.Dropin;
import org.keycloak.Config;
import org.keycloak.models.RealmModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed reader for the pack's settings of one realm and one scope (a dialect id such as {@code phone-otp},
 * or a pack-wide scope such as {@code sms}).
 * <p>
 * A setting {@code key} is looked up, first hit wins:
 * <ol>
 *     <li>realm attribute {@code dropin.<scope>.<key>} (per realm, changeable at run time, part of realm JSON);</li>
 *     <li>realm attribute {@code dropin.<key>} (per realm, for every scope);</li>
 *     <li>the SPI options given as {@code fallbacks}, in order (e.g. the dialect's own
 *         {@code --spi-realm-restapi-extension--phone-otp--code-length}, then the engine's
 *         {@code --spi-one-time-code--default--code-length});</li>
 *     <li>the built-in default passed by the caller.</li>
 * </ol>
 * A missing realm or config is tolerated; malformed numbers fall through to the next source rather than failing
 * a request.
 */
public final class RealmSettings {

    private final RealmModel realm;
    private final String scope;
    private final List<Config.Scope> fallbacks;

    private RealmSettings(RealmModel realm, String scope, List<Config.Scope> fallbacks) {
        this.realm = realm;
        this.scope = scope;
        this.fallbacks = fallbacks;
    }

    /** SPI and provider id of the code engine, whose options are every code policy's server-wide defaults. */
    public static final String ENGINE_SPI = "one-time-code";
    public static final String ENGINE_PROVIDER = "default";

    /**
     * Settings of a provider that issues codes: realm attributes of {@code scope}, then the provider's own SPI options
     * ({@code --spi-<spi>--<providerId>--<key>}), then the code engine's ({@code --spi-one-time-code--default--<key>}).
     * Every SPI option is read here, from Keycloak's configuration, so no provider has to carry option scopes around.
     */
    public static RealmSettings forCodes(RealmModel realm, String scope, String spi, String providerId) {
        return of(realm, scope, Config.scope(spi, providerId), engineOptions());
    }

    /** The code engine's SPI options. */
    public static Config.Scope engineOptions() {
        return Config.scope(ENGINE_SPI, ENGINE_PROVIDER);
    }

    public static RealmSettings of(RealmModel realm, String scope, Config.Scope... fallbacks) {
        List<Config.Scope> list = new ArrayList<>();
        for (Config.Scope s : fallbacks) {
            if (s != null) {
                list.add(s);
            }
        }
        return new RealmSettings(realm, scope, List.copyOf(list));
    }

    public String scope() {
        return scope;
    }

    /** The realm attribute name that overrides {@code key} in this scope, for messages that name it. */
    public String attributeName(String key) {
        return Dropin.REALM_ATTRIBUTE_PREFIX + scope + "." + key;
    }

    public Optional<String> get(String key) {
        Optional<String> realmValue = realmValue(key);
        return realmValue.isPresent() ? realmValue : serverValue(key);
    }

    /** {@code key} as the realm sets it (its scoped attribute, else its pack-wide one), ignoring the server's options. */
    public Optional<String> realmValue(String key) {
        if (realm != null) {
            String scoped = trimToNull(realm.getAttribute(attributeName(key)));
            if (scoped != null) {
                return Optional.of(scoped);
            }
            String global = trimToNull(realm.getAttribute(Dropin.REALM_ATTRIBUTE_PREFIX + key));
            if (global != null) {
                return Optional.of(global);
            }
        }
        return Optional.empty();
    }

    /** {@code key} as the server's SPI options set it, ignoring the realm. */
    public Optional<String> serverValue(String key) {
        for (Config.Scope config : fallbacks) {
            String value = trimToNull(config.get(key));
            if (value != null) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        return get(key).flatMap(RealmSettings::parseInt).orElse(defaultValue);
    }

    /** A text {@link Setting}: its value, or its built-in default. */
    public String getString(Setting setting) {
        return get(setting.key(), (String) setting.defaultValue());
    }

    /** An integer {@link Setting}: its value, or its built-in default. */
    public int getInt(Setting setting) {
        return getInt(setting.key(), (Integer) setting.defaultValue());
    }

    /** A boolean {@link Setting}: its value, or its built-in default. */
    public boolean getBoolean(Setting setting) {
        return getBoolean(setting.key(), (Boolean) setting.defaultValue());
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return get(key).map(v -> v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("on"))
                .orElse(defaultValue);
    }

    private static Optional<Integer> parseInt(String value) {
        try {
            return Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code value} without surrounding white space, or {@code null} when nothing is left. */
    public static String trimToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
