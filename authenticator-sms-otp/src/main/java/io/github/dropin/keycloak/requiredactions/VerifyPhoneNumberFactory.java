package io.github.dropin.keycloak.requiredactions;

/** Required action "Verify phone number" ({@value #PROVIDER_ID}), see {@link PhoneNumberAction.Mode#VERIFY}. */
public class VerifyPhoneNumberFactory extends PhoneNumberActionFactory {

    public static final String PROVIDER_ID = "dropin-verify-phone-number";

    @Override
    protected PhoneNumberAction.Mode mode() {
        return PhoneNumberAction.Mode.VERIFY;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayText() {
        return "Verify phone number";
    }
}
