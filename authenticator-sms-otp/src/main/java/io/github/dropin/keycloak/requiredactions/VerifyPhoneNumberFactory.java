package io.github.dropin.keycloak.requiredactions;

/** Required action "Verify phone number" ({@value #PROVIDER_ID}), see {@link PhoneNumberAction.Mode#VERIFY}. */
public class VerifyPhoneNumberFactory extends PhoneNumberActionFactory {

    public static final String PROVIDER_ID = "dropin-verify-phone-number";

    public VerifyPhoneNumberFactory() {
        super(PhoneNumberAction.Mode.VERIFY);
    }
}
