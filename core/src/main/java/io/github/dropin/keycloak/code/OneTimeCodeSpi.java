package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.settings.RealmSettings;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@code one-time-code}: the code engine. Its {@code default} provider's options
 * ({@code --spi-one-time-code--default--code-length=6}, ...) are the server-wide defaults of the code policy.
 */
public class OneTimeCodeSpi implements Spi {

    public static final String NAME = io.github.dropin.keycloak.settings.RealmSettings.ENGINE_SPI;

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return OneTimeCodeProvider.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return OneTimeCodeProviderFactory.class;
    }
}
