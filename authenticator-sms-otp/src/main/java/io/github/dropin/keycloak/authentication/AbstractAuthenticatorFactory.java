package io.github.dropin.keycloak.authentication;

import org.keycloak.Config;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * The tail of the pack's authenticator factories: configurable in the flow editor, nothing for users to set up, and
 * no server options read at start (options are read per request, under each realm's settings; see
 * {@link CodeConfig}).
 */
public abstract class AbstractAuthenticatorFactory implements AuthenticatorFactory {

    /** For executions that must not be merely conditional: required, alternative or off. */
    protected static final AuthenticationExecutionModel.Requirement[] REQUIRED_ALTERNATIVE_DISABLED = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.ALTERNATIVE,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    /** For executions that are either on or off. */
    protected static final AuthenticationExecutionModel.Requirement[] REQUIRED_DISABLED = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENT_CHOICES;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
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
