package io.github.dropin.keycloak;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * Base of the pack's own SPIs ({@code one-time-code}, {@code phone-number}, {@code sms-sender}): public (not internal,
 * so Keycloak does not warn about them), and configured like Keycloak's own with
 * {@code --spi-<name>--<provider>--<key>}.
 */
public abstract class PackSpi implements Spi {

    private final String name;
    private final Class<? extends Provider> providerClass;
    private final Class<? extends ProviderFactory> factoryClass;

    protected PackSpi(String name, Class<? extends Provider> providerClass,
                      @SuppressWarnings("rawtypes") Class<? extends ProviderFactory> factoryClass) {
        this.name = name;
        this.providerClass = providerClass;
        this.factoryClass = factoryClass;
    }

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return providerClass;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return factoryClass;
    }
}
