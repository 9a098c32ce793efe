package io.github.dropin.keycloak.authentication.conditional;

import io.github.dropin.keycloak.authentication.AbstractAuthenticatorFactory;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;

/** Factory of {@link ConditionalPhoneVerified} ({@value #PROVIDER_ID}). */
public class ConditionalPhoneVerifiedFactory extends AbstractAuthenticatorFactory
        implements ConditionalAuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-conditional-phone-verified";

    private static final List<ProviderConfigProperty> CONFIG = switchForm(ConditionalPhoneVerified.NEGATE,
            "Negate output", false, "Match users without a verified phone number instead.");

    public ConditionalPhoneVerifiedFactory() {
        super(new Description(PROVIDER_ID, "Condition - user has a verified phone",
                "True when the user holds a phone number marked verified (attribute phoneNumberVerified = true).",
                ConditionalAuthenticatorFactory.REFERENCE_CATEGORY, REQUIRED_DISABLED, CONFIG),
                ConditionalPhoneVerified.SINGLETON);
    }

    @Override
    public ConditionalAuthenticator getSingleton() {
        return ConditionalPhoneVerified.SINGLETON;
    }
}
