package io.github.dropin.keycloak.requiredactions;

import io.github.dropin.keycloak.authentication.CodeConfigProperties;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * Base of the two phone-number required actions' factories, which differ only in their id, name and
 * {@link PhoneNumberAction.Mode}. The configuration form is Keycloak's maximum-age setting plus the code policy.
 */
public abstract class PhoneNumberActionFactory implements RequiredActionFactory {

    private final PhoneNumberAction action = new PhoneNumberAction(getId(), mode());

    /** Where the action starts. */
    protected abstract PhoneNumberAction.Mode mode();

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return action;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        List<ProviderConfigProperty> config = new ArrayList<>(MAX_AUTH_AGE_CONFIG_PROPERTIES);
        config.addAll(CodeConfigProperties.codePolicy());
        return config;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
