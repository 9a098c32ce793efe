package io.github.dropin.keycloak.authentication.browser;

import io.github.dropin.keycloak.authentication.AbstractAuthenticatorFactory;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;

/** Factory of {@link PhoneNumberForm} ({@value #PROVIDER_ID}). */
public class PhoneNumberFormFactory extends AbstractAuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-phone-number-form";

    /**
     * Not a credential type: the flow engine's own failure logging then ignores this authenticator for brute force
     * (an invalid number is not a guess at anyone's credential).
     */
    public static final String REFERENCE_CATEGORY = "dropin-phone";

    private static final List<ProviderConfigProperty> CONFIG = switchForm(PhoneNumberForm.REGISTER_ON_FIRST_LOGIN,
            "Register on first login", false, "Create an account for a number that has none once its code is right "
                    + "(username and phone number = the number, verified). Off: unknown numbers get the same pages "
                    + "and no SMS.");

    public PhoneNumberFormFactory() {
        super(new Description(PROVIDER_ID, "Phone number form",
                "Identify-first by phone number: asks for a mobile number; follow it with the SMS code form. "
                        + "Unknown numbers get the same pages as known ones.",
                REFERENCE_CATEGORY, REQUIREMENT_CHOICES, CONFIG), new PhoneNumberForm());
    }
}
