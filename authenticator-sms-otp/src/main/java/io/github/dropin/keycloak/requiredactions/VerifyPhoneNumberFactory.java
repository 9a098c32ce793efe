package io.github.dropin.keycloak.requiredactions;

import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.CodeConfigProperties;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.ArrayList;
import java.util.List;

/** Required action "Verify phone number" ({@value #PROVIDER_ID}), see {@link PhoneNumberAction.Mode#VERIFY}. */
public class VerifyPhoneNumberFactory implements RequiredActionFactory {

    public static final String PROVIDER_ID = "dropin-verify-phone-number";

    private PhoneNumberAction action;
    private Config.Scope options;

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return action;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayText() {
        return "Verify phone number";
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        List<ProviderConfigProperty> config = new ArrayList<>(MAX_AUTH_AGE_CONFIG_PROPERTIES);
        config.addAll(CodeConfigProperties.codePolicy());
        return config;
    }

    @Override
    public void init(Config.Scope config) {
        this.options = config;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.action = new PhoneNumberAction(PROVIDER_ID, PhoneNumberAction.Mode.VERIFY, options,
                CodeConfig.engineOptions(factory));
    }

    @Override
    public void close() {
    }
}
