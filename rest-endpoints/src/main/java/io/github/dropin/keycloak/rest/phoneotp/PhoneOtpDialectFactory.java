package io.github.dropin.keycloak.rest.phoneotp;

import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.DialectProviderFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/** Registers dialect {@code phone-otp} at {@code /realms/{realm}/phone-otp}. */
public class PhoneOtpDialectFactory extends DialectProviderFactory {

    @Override
    protected Dialect createDialect() {
        return new PhoneOtpDialect();
    }

    @Override
    public String getId() {
        return PhoneOtpDialect.ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("clientId").type(ProviderConfigProperty.STRING_TYPE).defaultValue(PhoneOtpDialect.ID)
                .helpText("OIDC client whose sessions and tokens the dialect issues.").add()
                .property().name("codeResendCooldown").type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(PhoneOtpDialect.DEFAULTS.resendCooldown())
                .helpText("Seconds a pending login code blocks a new one (seed: 5 minutes).").add()
                .build();
    }
}
