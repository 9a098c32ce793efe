package io.github.dropin.keycloak.rest.jwtauth;

import io.github.dropin.keycloak.rest.http.Call;
import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.DialectProviderFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/** Registers dialect {@code jwt-auth} at {@code /realms/{realm}/jwt-auth}. */
public class JwtAuthDialectFactory extends DialectProviderFactory {

    @Override
    protected Dialect createDialect() {
        return new JwtAuthDialect();
    }

    @Override
    public String getId() {
        return JwtAuthDialect.ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(Call.CLIENT_ID).type(ProviderConfigProperty.STRING_TYPE).defaultValue(JwtAuthDialect.ID)
                .helpText("OIDC client whose sessions and tokens the dialect issues.").add()
                .build();
    }
}
