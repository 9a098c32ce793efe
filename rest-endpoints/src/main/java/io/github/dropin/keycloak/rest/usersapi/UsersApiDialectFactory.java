package io.github.dropin.keycloak.rest.usersapi;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.DialectProviderFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/** Registers dialect {@code users-api} at {@code /realms/{realm}/users-api}. */
public class UsersApiDialectFactory extends DialectProviderFactory {

    @Override
    protected Dialect createDialect() {
        return new UsersApiDialect();
    }

    @Override
    public String getId() {
        return UsersApiDialect.ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("clientId").type(ProviderConfigProperty.STRING_TYPE).defaultValue(UsersApiDialect.ID)
                .helpText("OIDC client whose sessions the dialect's API keys are bound to.").add()
                .property().name(UsersApiDialect.RESET_TOKEN_LIFETIME).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(UsersApiDialect.DEFAULT_RESET_TOKEN_LIFETIME)
                .helpText("Seconds a password-reset token stays valid.").add()
                .property().name(CodePolicy.RESEND_COOLDOWN).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(CodePolicy.DEFAULTS.resendCooldown())
                .helpText("Seconds before the same address may be sent another reset token.").add()
                .build();
    }
}
