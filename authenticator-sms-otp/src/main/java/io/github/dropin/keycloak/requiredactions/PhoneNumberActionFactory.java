package io.github.dropin.keycloak.requiredactions;

import io.github.dropin.keycloak.PackProviderFactory;
import io.github.dropin.keycloak.authentication.CodeConfigProperties;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * Base of the two phone-number required actions' factories, which differ only in their
 * {@link PhoneNumberAction.Mode} (which holds their id and name). The configuration form is Keycloak's maximum-age setting plus the code policy.
 */
public abstract class PhoneNumberActionFactory implements RequiredActionFactory, PackProviderFactory<RequiredActionProvider> {

    private final PhoneNumberAction.Mode mode;
    private final PhoneNumberAction action;

    protected PhoneNumberActionFactory(PhoneNumberAction.Mode mode) {
        this.mode = mode;
        this.action = new PhoneNumberAction(mode);
    }

    @Override
    public String getId() {
        return mode.id;
    }

    @Override
    public String getDisplayText() {
        return mode.displayText;
    }

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
}
