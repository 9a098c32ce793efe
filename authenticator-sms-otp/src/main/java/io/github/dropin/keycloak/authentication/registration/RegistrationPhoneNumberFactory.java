package io.github.dropin.keycloak.authentication.registration;

import io.github.dropin.keycloak.PackProviderFactory;
import org.keycloak.authentication.FormAction;
import org.keycloak.authentication.FormActionFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/** Factory of {@link RegistrationPhoneNumber} ({@value #PROVIDER_ID}). */
public class RegistrationPhoneNumberFactory implements FormActionFactory, PackProviderFactory<FormAction> {

    public static final String PROVIDER_ID = "dropin-registration-phone";

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(RegistrationPhoneNumber.PHONE_REQUIRED).label("Phone number required")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true)
            .helpText("Refuse registrations without a phone number. Off: the number is optional, but verified "
                    + "when given.")
            .add()
            .build();

    @Override
    public FormAction create(KeycloakSession session) {
        return RegistrationPhoneNumber.SINGLETON;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Registration phone number";
    }

    @Override
    public String getHelpText() {
        return "Validates the phoneNumber field (valid, unique), stores it in E.164 and requires the new user to "
                + "verify it with an SMS code. Place after Registration User Profile Creation.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
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
}
