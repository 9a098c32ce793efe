package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.code.CodePolicy;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/**
 * The code-policy fields of the admin console's configuration forms (authenticators and required actions that
 * send codes). They have no default value on purpose: an empty field falls back to the realm's settings
 * ({@link CodeConfig}), so that a realm-wide change is not silently overridden by a form that was saved once.
 */
public final class CodeConfigProperties {

    private CodeConfigProperties() {
    }

    /** Length, lifetime, attempts and resend cooldown, in that order. */
    public static List<ProviderConfigProperty> codePolicy() {
        return ProviderConfigurationBuilder.create()
                .property().name(CodePolicy.LENGTH).label("Code length")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .helpText("Digits per code, " + CodePolicy.MIN_LENGTH + " to " + CodePolicy.MAX_LENGTH
                        + ". Empty: realm attribute dropin.login.codeLength, else 6.")
                .add()
                .property().name(CodePolicy.LIFETIME).label("Code lifetime (seconds)")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .helpText("How long a code stays valid. Empty: realm attribute dropin.login.codeLifetime, else 300.")
                .add()
                .property().name(CodePolicy.MAX_ATTEMPTS).label("Attempts per code")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .helpText("Wrong entries allowed per code; after the last one the code is dead and a new one must be "
                        + "requested. Empty: realm attribute dropin.login.codeMaxAttempts, else 5.")
                .add()
                .property().name(CodePolicy.RESEND_COOLDOWN).label("Resend cooldown (seconds)")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .helpText("Seconds before the same number may get another code. Empty: realm attribute "
                        + "dropin.login.codeResendCooldown, else 60.")
                .add()
                .build();
    }
}
