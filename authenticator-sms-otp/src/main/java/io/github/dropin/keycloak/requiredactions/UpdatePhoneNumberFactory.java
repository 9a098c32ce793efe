package io.github.dropin.keycloak.requiredactions;

/** Required action "Update phone number" ({@value #PROVIDER_ID}), see {@link PhoneNumberAction.Mode#UPDATE}. */
public class UpdatePhoneNumberFactory extends PhoneNumberActionFactory {

    public static final String PROVIDER_ID = "dropin-update-phone-number";

    public UpdatePhoneNumberFactory() {
        super(PhoneNumberAction.Mode.UPDATE);
    }
}
