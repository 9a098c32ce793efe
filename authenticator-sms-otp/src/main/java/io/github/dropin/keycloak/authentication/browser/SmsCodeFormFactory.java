package io.github.dropin.keycloak.authentication.browser;

import io.github.dropin.keycloak.authentication.CodeConfig;
import io.github.dropin.keycloak.authentication.CodeConfigProperties;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;

/**
 * Factory of {@link SmsCodeForm} ({@value #PROVIDER_ID}). SPI options
 * {@code --spi-authenticator--dropin-sms-code-form--code-length} etc. are its server-wide defaults, under the realm
 * attributes {@code dropin.login.*} and over the code engine's options.
 */
public class SmsCodeFormFactory implements AuthenticatorFactory {

    public static final String PROVIDER_ID = "dropin-sms-code-form";

    /**
     * Not {@code otp}: wrong codes are counted as {@code otp} failures by the authenticator itself, once; with
     * {@code otp} here the flow engine would count them a second time, and the account console would offer to set
     * up an authenticator app.
     */
    public static final String REFERENCE_CATEGORY = "dropin-sms-code";

    private static final List<ProviderConfigProperty> CONFIG = CodeConfigProperties.codePolicy();

    private SmsCodeForm authenticator;
    private Config.Scope options;

    @Override
    public Authenticator create(KeycloakSession session) {
        return authenticator;
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

    @Override
    public String getReferenceCategory() {
        return REFERENCE_CATEGORY;
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENT_CHOICES;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public void init(Config.Scope config) {
        this.options = config;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.authenticator = new SmsCodeForm(options, CodeConfig.engineOptions(factory));
    }

    @Override
    public void close() {
    }
}
