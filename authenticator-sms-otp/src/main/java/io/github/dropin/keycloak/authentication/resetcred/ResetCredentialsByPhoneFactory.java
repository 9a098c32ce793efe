package io.github.dropin.keycloak.authentication.resetcred;

import io.github.dropin.keycloak.authentication.CodeAuthenticatorFactory;

/** Factory of {@link ResetCredentialsByPhone} ({@value #PROVIDER_ID}). */
public class ResetCredentialsByPhoneFactory extends CodeAuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-reset-credentials-phone";

    public ResetCredentialsByPhoneFactory() {
        super(PROVIDER_ID, new ResetCredentialsByPhone(), "Choose user by phone and SMS code",
                "Reset credentials: asks for the account's phone number and texts a code; follow it with Reset "
                        + "Password. Unknown numbers get the same pages and no SMS.");
    }
}
