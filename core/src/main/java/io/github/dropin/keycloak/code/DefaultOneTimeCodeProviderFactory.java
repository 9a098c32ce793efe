package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.settings.RealmSettings;
import io.github.dropin.keycloak.settings.Setting;
import io.github.dropin.keycloak.settings.ShieldSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * Factory of the {@code default} code engine. Its SPI options are the server-wide code-policy defaults that
 * dialects and authenticators fall back on ({@link io.github.dropin.keycloak.settings.RealmSettings#engineOptions()}),
 * and the server-wide defaults of the shield ({@link ShieldSettings}).
 */
public class DefaultOneTimeCodeProviderFactory implements OneTimeCodeProviderFactory {

    public static final String PROVIDER_ID = io.github.dropin.keycloak.settings.RealmSettings.ENGINE_PROVIDER;

    @Override
    public OneTimeCodeProvider create(KeycloakSession session) {
        return new DefaultOneTimeCodeProvider(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        CodePolicy d = CodePolicy.DEFAULTS;
        List<ProviderConfigProperty> properties = ProviderConfigurationBuilder.create()
                .property().name(CodePolicy.LENGTH).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(d.length()).helpText("Digits per code (4 to 9).").add()
                .property().name(CodePolicy.LIFETIME).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(d.lifetimeSeconds()).helpText("Seconds a code stays valid.").add()
                .property().name(CodePolicy.MAX_ATTEMPTS).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(d.maxAttempts()).helpText("Tries per code; then it is dead.").add()
                .property().name(CodePolicy.RESEND_COOLDOWN).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(d.resendCooldown()).helpText("Seconds before a subject may get another code for the same purpose.").add()
                .property().name(CodePolicy.HOURLY_LIMIT_PER_SUBJECT).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(d.hourlyLimitPerSubject()).helpText("Codes per subject and purpose per hour (0: no limit).").add()
                .property().name(CodePolicy.HOURLY_LIMIT_PER_IP).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(d.hourlyLimitPerIp()).helpText("Codes per client IP per hour (0: no limit).").add()
                .property().name(CodePolicy.DAILY_FAILURE_LIMIT).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(d.dailyFailureLimit()).helpText("Wrong codes per subject per 24 hours, across codes; "
                        + "once spent, no code of the subject is compared (0: no limit).").add()
                .property().name(CodePolicy.RESEND_BACKOFF_MAX).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(d.resendBackoffMax()).helpText("Longest wait in seconds between new codes for one "
                        + "address and purpose; within an hour each waits twice the one before, starting at the "
                        + "cooldown (0: the cooldown alone).").add()
                .property().name(CodePolicy.MAX_PENDING).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(d.maxPending()).helpText("Codes per lifetime of a purpose whose codes alone name their "
                        + "account (token-auth's); beyond it 429 (0: no cap).").add()
                .build();
        List<ProviderConfigProperty> all = new ArrayList<>(properties);
        all.addAll(Setting.metadata(ShieldSettings.SETTINGS));
        return all;
    }
}
