package io.github.dropin.keycloak.authentication.browser;

import io.github.dropin.keycloak.authentication.CodeAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/**
 * Factory of {@link SmsCodeForm} ({@value #PROVIDER_ID}). SPI options
 * {@code --spi-authenticator--dropin-sms-code-form--code-length} etc. are its server-wide defaults, under the realm
 * attributes {@code dropin.login.*} and over the code engine's options.
 */
public class SmsCodeFormFactory extends CodeAuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-sms-code-form";

    private static final SmsCodeForm SINGLETON = new SmsCodeForm();

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "SMS code form";
    }

    @Override
    public String getHelpText() {
        return "Texts a one-time code and asks for it: after the phone number form (first factor) or after a "
                + "password for users with a verified phone number (second factor). Resend with cooldown, attempts "
                + "left shown, wrong codes count towards brute-force detection.";
    }
}
