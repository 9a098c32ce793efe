package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.PackSpi;
import io.github.dropin.keycloak.settings.RealmSettings;

/**
 * SPI {@code one-time-code}: the code engine. Its {@code default} provider's options
 * ({@code --spi-one-time-code--default--code-length=6}, ...) are the server-wide defaults of the code policy.
 */
public class OneTimeCodeSpi extends PackSpi {

    public static final String NAME = io.github.dropin.keycloak.settings.RealmSettings.ENGINE_SPI;

    public OneTimeCodeSpi() {
        super(NAME, OneTimeCodeProvider.class, OneTimeCodeProviderFactory.class);
    }
}
