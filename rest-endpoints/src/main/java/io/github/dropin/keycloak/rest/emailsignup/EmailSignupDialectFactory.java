package io.github.dropin.keycloak.rest.emailsignup;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.DialectProviderFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/** Registers dialect {@code email-signup} at {@code /realms/{realm}/email-signup}. */
public class EmailSignupDialectFactory extends DialectProviderFactory {

    @Override
    protected Dialect createDialect() {
        return new EmailSignupDialect();
    }

    @Override
    public String getId() {
        return EmailSignupDialect.ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("clientId").type(ProviderConfigProperty.STRING_TYPE).defaultValue(EmailSignupDialect.ID)
                .helpText("OIDC client whose sessions and tokens the dialect issues.").add()
                .property().name(CodePolicy.LIFETIME).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(EmailSignupDialect.DEFAULTS.lifetimeSeconds())
                .helpText("Seconds an emailed code stays valid.").add()
                .property().name(EmailSignupDialect.SET_PASSWORD_WINDOW).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(EmailSignupDialect.DEFAULT_SET_PASSWORD_WINDOW)
                .helpText("Seconds after email verification during which public-set-password may set the first password.").add()
                .property().name(EmailSignupDialect.RECOVERY_WINDOW).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(EmailSignupDialect.DEFAULT_RECOVERY_WINDOW)
                .helpText("Seconds after verify-code (password_recovery) during which recovery-reset-password accepts that code.").add()
                .property().name(EmailSignupDialect.PIN_RESET_WINDOW).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(EmailSignupDialect.DEFAULT_PIN_RESET_WINDOW)
                .helpText("Seconds after reset-pin-verify during which a new PIN may be set without the current one.").add()
                .build();
    }
}
