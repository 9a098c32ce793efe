package io.github.dropin.keycloak.sms;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@code sms-sender}. The server-wide default provider is chosen with the build option
 * {@code --spi-sms-sender--provider-default=<id>}; a realm may choose another with the realm attribute
 * {@code dropin.sms.sender}. Providers are configured with {@code --spi-sms-sender--<id>--<property>}.
 */
public class SmsSenderSpi implements Spi {

    public static final String NAME = "sms-sender";

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
        return SmsSenderProvider.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return SmsSenderProviderFactory.class;
    }
}
