package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.settings.RealmSettings;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

import java.util.Map;
import java.util.Optional;

/**
 * Typed reader of one authenticator's or required action's configuration (the admin console form), with the realm's
 * settings underneath: a value left empty in the form falls back to realm attribute {@code dropin.login.<key>}, then
 * {@code dropin.<key>}, then the provider's own SPI option, then the code engine's SPI option, then the built-in
 * default. A missing configuration (no form saved) is simply empty; malformed or out-of-range numbers fall through
 * to the next source instead of failing a login.
 */
public final class CodeConfig {

    /** The {@link RealmSettings} scope of the Keycloak-native login flows: realm attributes {@code dropin.login.*}. */
    public static final String SCOPE = "login";

    private final Map<String, String> config;
    private final RealmSettings settings;

    private CodeConfig(Map<String, String> config, RealmSettings settings) {
        this.config = config;
        this.settings = settings;
    }

    /**
     * @param config     the saved form, may be {@code null}
     * @param spi        the provider's SPI ({@code authenticator}, {@code required-action}, {@code form-action})
     * @param providerId the provider's id, whose SPI options come after the realm's settings
     */
    public static CodeConfig of(RealmModel realm, Map<String, String> config, String spi, String providerId) {
        return new CodeConfig(config == null ? Map.of() : config, RealmSettings.forCodes(realm, SCOPE, spi, providerId));
    }

    /** An execution's form (may be missing) over the realm's settings. */
    public static CodeConfig of(AuthenticationFlowContext context) {
        AuthenticatorConfigModel config = context.getAuthenticatorConfig();
        return of(context.getRealm(), config == null ? null : config.getConfig(), AUTHENTICATOR_SPI,
                context.getExecution().getAuthenticator());
    }

    /** The SPI of authenticators, whose options are {@code --spi-authenticator--<id>--<key>}. */
    public static final String AUTHENTICATOR_SPI = "authenticator";

    /** The policy for codes this provider issues: the form's values over the realm's code settings. */
    public CodePolicy policy() {
        CodePolicy base = CodePolicy.from(settings, CodePolicy.DEFAULTS);
        int length = integer(CodePolicy.LENGTH)
                .filter(l -> l >= CodePolicy.MIN_LENGTH && l <= CodePolicy.MAX_LENGTH)
                .orElse(base.length());
        int lifetime = integer(CodePolicy.LIFETIME).filter(v -> v > 0).orElse(base.lifetimeSeconds());
        int attempts = integer(CodePolicy.MAX_ATTEMPTS).filter(v -> v > 0).orElse(base.maxAttempts());
        int cooldown = integer(CodePolicy.RESEND_COOLDOWN).filter(v -> v >= 0).orElse(base.resendCooldown());
        return new CodePolicy(length, lifetime, attempts, cooldown, base.hourlyLimitPerSubject(),
                base.hourlyLimitPerIp(), base.dailyFailureLimit(), false, base.resendBackoffMax(), base.maxPending(),
                base.audience());
    }

    /** A boolean switch of the form; only {@code true} (any case) counts as on. */
    public boolean flag(String key, boolean defaultValue) {
        String value = RealmSettings.trimToNull(config.get(key));
        return value == null ? defaultValue : Boolean.parseBoolean(value);
    }

    /** A text value of the form, else of the realm settings. */
    public Optional<String> text(String key) {
        String value = RealmSettings.trimToNull(config.get(key));
        return value != null ? Optional.of(value) : settings.get(key);
    }

    private Optional<Integer> integer(String key) {
        String value = RealmSettings.trimToNull(config.get(key));
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
