package io.github.dropin.keycloak.authentication.directgrant;

import io.github.dropin.keycloak.authentication.CodeAuthenticatorFactory;

/**
 * Factory of {@link DirectGrantPhoneCode} ({@value #PROVIDER_ID}). Its configuration also sets the policy of the
 * codes that {@code /realms/{realm}/sms-code/request} issues for clients whose direct grant flow uses it.
 */
public class DirectGrantPhoneCodeFactory extends CodeAuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-direct-grant-phone-code";

    public DirectGrantPhoneCodeFactory() {
        super(PROVIDER_ID, new DirectGrantPhoneCode(), "Phone number and SMS code (direct grant)",
                "Token endpoint with grant_type=password, phone_number and code; the app requests the code from "
                        + "/realms/{realm}/sms-code/request first.");
    }
}
