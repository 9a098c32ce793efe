package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.PackProviderFactory;
import org.keycloak.authentication.ConfigurableAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/**
 * Base of the pack's factories of flow steps (authenticators, registration form actions): each serves one stateless
 * provider, configurable in the flow editor, with nothing for users to set up; server options are read per request
 * under each realm's settings ({@link CodeConfig}), so nothing is kept at start.
 *
 * @param <T> the SPI's provider type
 */
public abstract class FlowStepFactory<T extends Provider> implements ConfigurableAuthenticatorFactory,
        PackProviderFactory<T> {

    /**
     * For executions that are either on or off. (Required, alternative or off: Keycloak's
     * {@link #REQUIREMENT_CHOICES}.)
     */
    protected static final AuthenticationExecutionModel.Requirement[] REQUIRED_DISABLED = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    /**
     * What the flow editor shows of a step.
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
    private final T provider;

    protected FlowStepFactory(Description description, T provider) {
        this.description = description;
        this.provider = provider;
    }

    /** A configuration form of one on/off switch. */
    protected static List<ProviderConfigProperty> switchForm(String name, String label, boolean defaultValue,
                                                             String helpText) {
        return ProviderConfigurationBuilder.create()
                .property().name(name).label(label).type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue(defaultValue).helpText(helpText).add()
                .build();
    }

    @Override
    public T create(KeycloakSession session) {
        return provider;
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
