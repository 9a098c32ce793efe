package io.github.dropin.keycloak.phone;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** SPI {@code phone-number}: parsing and normalisation of phone numbers. */
public class PhoneNumberSpi implements Spi {

    public static final String NAME = "phone-number";

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
        return PhoneNumberProvider.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return PhoneNumberProviderFactory.class;
    }
}
