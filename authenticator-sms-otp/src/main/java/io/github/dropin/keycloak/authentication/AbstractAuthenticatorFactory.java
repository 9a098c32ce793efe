package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.PackProviderFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;

/**
 * Base of the pack's authenticator factories: each serves one stateless authenticator, configurable in the flow
 * editor, with nothing for users to set up; server options are read per request under each realm's settings
 * ({@link CodeConfig}), so nothing is kept at start.
 */
public abstract class AbstractAuthenticatorFactory implements AuthenticatorFactory, PackProviderFactory<Authenticator> {

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

    /**
     * What the flow editor shows of an authenticator.
     *
     * @param id                the provider id
     * @param displayType       its name in the flow editor
     * @param helpText          its description there
     * @param referenceCategory what Keycloak's flow engine counts its failures as, see the subclasses
     * @param requirements      the requirement choices it offers
     * @param config            its configuration form
     */
    public record Description(String id, String displayType, String helpText, String referenceCategory,
                                 AuthenticationExecutionModel.Requirement[] requirements,
                                 List<ProviderConfigProperty> config) {
    }

    private final Description description;
    private final Authenticator authenticator;

    protected AbstractAuthenticatorFactory(Description description, Authenticator authenticator) {
        this.description = description;
        this.authenticator = authenticator;
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return authenticator;
    }

    @Override
    public String getId() {
        return description.id();
    }

    @Override
    public String getDisplayType() {
        return description.displayType();
    }

    @Override
    public String getHelpText() {
        return description.helpText();
    }

    @Override
    public String getReferenceCategory() {
        return description.referenceCategory();
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return description.config();
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return description.requirements();
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }
}
