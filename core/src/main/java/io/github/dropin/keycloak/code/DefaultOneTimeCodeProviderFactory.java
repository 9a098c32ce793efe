package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.SessionProviderFactory;
import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.settings.Setting;
import io.github.dropin.keycloak.settings.ShieldSettings;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * Factory of the {@code default} code engine. Its SPI options are the server-wide code-policy defaults that
 * dialects and authenticators fall back on ({@link io.github.dropin.keycloak.settings.RealmSettings#engineOptions()}),
 * and the server-wide defaults of the shield ({@link ShieldSettings}).
 */
public class DefaultOneTimeCodeProviderFactory extends SessionProviderFactory<OneTimeCodeProvider>
        implements OneTimeCodeProviderFactory {

    public static final String PROVIDER_ID = io.github.dropin.keycloak.settings.RealmSettings.ENGINE_PROVIDER;

    public DefaultOneTimeCodeProviderFactory() {
        super(PROVIDER_ID, DefaultOneTimeCodeProvider::new);
    }

    /** The code-policy options with their built-in defaults ({@link CodePolicy#DEFAULTS}). */
    private static final List<Setting> POLICY_SETTINGS = List.of(
            Setting.integer(CodePolicy.LENGTH, CodePolicy.DEFAULTS.length(), "Digits per code (4 to 9)."),
            Setting.integer(CodePolicy.LIFETIME, CodePolicy.DEFAULTS.lifetimeSeconds(), "Seconds a code stays valid."),
            Setting.integer(CodePolicy.MAX_ATTEMPTS, CodePolicy.DEFAULTS.maxAttempts(),
                    "Tries per code; then it is dead."),
            Setting.integer(CodePolicy.RESEND_COOLDOWN, CodePolicy.DEFAULTS.resendCooldown(),
                    "Seconds before a subject may get another code for the same purpose."),
            Setting.integer(CodePolicy.HOURLY_LIMIT_PER_SUBJECT, CodePolicy.DEFAULTS.hourlyLimitPerSubject(),
                    "Codes per subject and purpose per hour (0: no limit)."),
            Setting.integer(CodePolicy.HOURLY_LIMIT_PER_IP, CodePolicy.DEFAULTS.hourlyLimitPerIp(),
                    "Codes per client IP per hour (0: no limit)."),
            Setting.integer(CodePolicy.DAILY_FAILURE_LIMIT, CodePolicy.DEFAULTS.dailyFailureLimit(),
                    "Wrong codes per subject per 24 hours, across codes; once spent, no code of the subject is "
                            + "compared (0: no limit)."),
            Setting.integer(CodePolicy.RESEND_BACKOFF_MAX, CodePolicy.DEFAULTS.resendBackoffMax(),
                    "Longest wait in seconds between new codes for one address and purpose; within an hour each "
                            + "waits twice the one before, starting at the cooldown (0: the cooldown alone)."),
            Setting.integer(CodePolicy.MAX_PENDING, CodePolicy.DEFAULTS.maxPending(),
                    "Codes per lifetime of a purpose whose codes alone name their account (token-auth's); beyond it "
                            + "429 (0: no cap)."));

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        List<ProviderConfigProperty> all = new ArrayList<>(Setting.metadata(POLICY_SETTINGS));
        all.addAll(Setting.metadata(ShieldSettings.SETTINGS));
        return all;
    }
}
