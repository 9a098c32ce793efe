package io.github.dropin.keycloak.authentication.resetcred;

import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.CodeConfigProperties;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;

/** Factory of {@link ResetCredentialsByPhone} ({@value #PROVIDER_ID}). */
public class ResetCredentialsByPhoneFactory implements AuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-reset-credentials-phone";

    /** Not a credential type, for the reasons given on the SMS code form's factory. */
    public static final String REFERENCE_CATEGORY = "dropin-sms-code";

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.ALTERNATIVE,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    private static final List<ProviderConfigProperty> CONFIG = CodeConfigProperties.codePolicy();

    private ResetCredentialsByPhone authenticator;
    private Config.Scope options;

    @Override
    public Authenticator create(KeycloakSession session) {
        return authenticator;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Choose user by phone and SMS code";
    }

    @Override
    public String getHelpText() {
        return "Reset credentials: asks for the account's phone number and texts a code; follow it with Reset "
                + "Password. Unknown numbers get the same pages and no SMS.";
    }

    @Override
    public String getReferenceCategory() {
        return REFERENCE_CATEGORY;
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public void init(Config.Scope config) {
        this.options = config;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.authenticator = new ResetCredentialsByPhone(options, CodeConfig.engineOptions(factory));
    }

    @Override
    public void close() {
    }
}
