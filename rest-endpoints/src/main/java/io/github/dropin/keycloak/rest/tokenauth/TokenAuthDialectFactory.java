package io.github.dropin.keycloak.rest.tokenauth;

import io.github.dropin.keycloak.code.CodePolicy;
import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.DialectProviderFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/** Registers dialect {@code token-auth} at {@code /realms/{realm}/token-auth}. */
public class TokenAuthDialectFactory extends DialectProviderFactory {

    @Override
    protected Dialect createDialect() {
        return new TokenAuthDialect();
    }

    @Override
    public String getId() {
        return TokenAuthDialect.ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(Call.CLIENT_ID).type(ProviderConfigProperty.STRING_TYPE).defaultValue(TokenAuthDialect.ID)
                .helpText("OIDC client the dialect's user sessions belong to.").add()
                .property().name(CodePolicy.LENGTH).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(TokenAuthDialect.DEFAULTS.length())
                .helpText("Digits per verification code (seed: 5).").add()
                .property().name(CodePolicy.LIFETIME).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(TokenAuthDialect.DEFAULTS.lifetimeSeconds())
                .helpText("Seconds a verification code stays valid.").add()
                .property().name(TokenAuthDialect.VERIFY_LIMIT_PER_IP).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(TokenAuthDialect.DEFAULT_VERIFY_LIMIT_PER_IP)
                .helpText("verify-user requests per client IP per hour (0: no limit). Codes alone identify accounts, "
                        + "so this is what stops guessing.").add()
                .build();
    }
}
