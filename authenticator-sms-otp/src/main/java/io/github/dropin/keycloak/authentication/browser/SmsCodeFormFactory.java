package io.github.dropin.keycloak.authentication.browser;

import io.github.dropin.keycloak.authentication.CodeAuthenticatorFactory;

/**
 * Factory of {@link SmsCodeForm} ({@value #PROVIDER_ID}). SPI options
 * {@code --spi-authenticator--dropin-sms-code-form--code-length} etc. are its server-wide defaults, under the realm
 * attributes {@code dropin.login.*} and over the code engine's options.
 */
public class SmsCodeFormFactory extends CodeAuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-sms-code-form";

    public SmsCodeFormFactory() {
        super(PROVIDER_ID, new SmsCodeForm(), "SMS code form",
                "Texts a one-time code and asks for it: after the phone number form (first factor) or after a "
                        + "password for users with a verified phone number (second factor). Resend with cooldown, "
                        + "attempts left shown, wrong codes count towards brute-force detection.");
    }
}
