package io.github.dropin.keycloak.authentication.directgrant;

import io.github.dropin.keycloak.authentication.CodeAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;

/**
 * Factory of {@link DirectGrantPhoneCode} ({@value #PROVIDER_ID}). Its configuration also sets the policy of the
 * codes that {@code /realms/{realm}/sms-code/request} issues for clients whose direct grant flow uses it.
 */
public class DirectGrantPhoneCodeFactory extends CodeAuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-direct-grant-phone-code";

    private static final DirectGrantPhoneCode SINGLETON = new DirectGrantPhoneCode();

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
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
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIRED_ALTERNATIVE_DISABLED;
    }
}
