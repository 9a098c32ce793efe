package io.github.dropin.keycloak.authentication;

import org.keycloak.authentication.Authenticator;

/**
 * Base of the factories of authenticators that text codes: their configuration form is the code policy
 * ({@link CodeConfigProperties}), and their server options ({@code --spi-authenticator--<id>--code-length} etc.) are
 * their defaults under the realm's {@code dropin.login.*} attributes and over the code engine's options.
 */
public abstract class CodeAuthenticatorFactory extends AbstractAuthenticatorFactory {

    /**
     * Not {@code otp}: wrong codes are counted as {@code otp} failures by the core's service, once; with {@code otp}
     * here the flow engine would count them a second time, and the account console would offer to set up an
     * authenticator app.
     */
    public static final String REFERENCE_CATEGORY = "dropin-sms-code";

    /** A code authenticator may be required, an alternative, or off. */
    protected CodeAuthenticatorFactory(String id, Authenticator authenticator, String displayType, String helpText) {
        super(new Description(id, displayType, helpText, REFERENCE_CATEGORY, REQUIREMENT_CHOICES,
                CodeConfigProperties.codePolicy()), authenticator);
    }
}
