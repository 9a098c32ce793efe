package io.github.dropin.keycloak.requiredactions;

/** Required action "Update phone number" ({@value #PROVIDER_ID}), see {@link PhoneNumberAction.Mode#UPDATE}. */
public class UpdatePhoneNumberFactory extends PhoneNumberActionFactory {

    public static final String PROVIDER_ID = "dropin-update-phone-number";

    @Override
    protected PhoneNumberAction.Mode mode() {
        return PhoneNumberAction.Mode.UPDATE;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayText() {
        return "Update phone number";
    }
}
