package io.github.dropin.keycloak.authentication.resetcred;

import io.github.dropin.keycloak.authentication.CodeAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;

/** Factory of {@link ResetCredentialsByPhone} ({@value #PROVIDER_ID}). */
public class ResetCredentialsByPhoneFactory extends CodeAuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-reset-credentials-phone";

    private static final ResetCredentialsByPhone SINGLETON = new ResetCredentialsByPhone();

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
        return "Choose user by phone and SMS code";
    }

    @Override
    public String getHelpText() {
        return "Reset credentials: asks for the account's phone number and texts a code; follow it with Reset "
                + "Password. Unknown numbers get the same pages and no SMS.";
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIRED_ALTERNATIVE_DISABLED;
    }
}
