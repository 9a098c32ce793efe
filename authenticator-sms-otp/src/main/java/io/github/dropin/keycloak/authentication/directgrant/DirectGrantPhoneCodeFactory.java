package io.github.dropin.keycloak.authentication.directgrant;

import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.CodeConfigProperties;
import io.github.dropin.keycloak.code.CodePolicy;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;
import java.util.Map;

/**
 * Factory of {@link DirectGrantPhoneCode} ({@value #PROVIDER_ID}). Its configuration also sets the policy of the
 * codes that {@code /realms/{realm}/sms-code/request} issues for clients whose direct grant flow uses it.
 */
public class DirectGrantPhoneCodeFactory implements AuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-direct-grant-phone-code";

    /** Not a credential type, for the reasons given on the SMS code form's factory. */
    public static final String REFERENCE_CATEGORY = "dropin-sms-code";

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.ALTERNATIVE,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    private static final List<ProviderConfigProperty> CONFIG = CodeConfigProperties.codePolicy();

    private final DirectGrantPhoneCode authenticator = new DirectGrantPhoneCode(this);
    private Config.Scope options;
    private Config.Scope engineOptions;

    @Override
    public Authenticator create(KeycloakSession session) {
        return authenticator;
    }

    /** The policy of this authenticator's codes, from an execution's configuration (may be {@code null}). */
    public CodePolicy policy(RealmModel realm, Map<String, String> config) {
        return CodeConfig.of(realm, config, options, engineOptions).policy();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Phone number and SMS code (direct grant)";
    }

    @Override
    public String getHelpText() {
        return "Token endpoint with grant_type=password, phone_number and code; the app requests the code from "
                + "/realms/{realm}/sms-code/request first.";
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
        this.engineOptions = CodeConfig.engineOptions(factory);
    }

    @Override
    public void close() {
    }
}
