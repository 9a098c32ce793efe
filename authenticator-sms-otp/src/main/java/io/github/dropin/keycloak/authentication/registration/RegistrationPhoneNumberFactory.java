package io.github.dropin.keycloak.authentication.registration;

import io.github.dropin.keycloak.authentication.FlowStepFactory;
import org.keycloak.authentication.FormAction;
import org.keycloak.authentication.FormActionFactory;

/** Factory of {@link RegistrationPhoneNumber} ({@value #PROVIDER_ID}). */
public class RegistrationPhoneNumberFactory extends FlowStepFactory<FormAction> implements FormActionFactory {

    public static final String PROVIDER_ID = "dropin-registration-phone";

    public RegistrationPhoneNumberFactory() {
        super(new Description(PROVIDER_ID, "Registration phone number",
                "Validates the phoneNumber field (valid, unique), stores it in E.164 and requires the new user to "
                        + "verify it with an SMS code. Place after Registration User Profile Creation.",
                null, REQUIRED_DISABLED,
                switchForm(RegistrationPhoneNumber.PHONE_REQUIRED, "Phone number required", true,
                        "Refuse registrations without a phone number. Off: the number is optional, but verified "
                                + "when given.")),
                RegistrationPhoneNumber.SINGLETON);
    }
}
