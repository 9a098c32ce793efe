package io.github.dropin.keycloak.sms;

import io.github.dropin.keycloak.PackSpi;

/**
 * SPI {@code sms-sender}. The server-wide default provider is chosen with the build option
 * {@code --spi-sms-sender--provider-default=<id>}; a realm may choose another with the realm attribute
 * {@code dropin.sms.sender}. Providers are configured with {@code --spi-sms-sender--<id>--<property>}.
 */
public class SmsSenderSpi extends PackSpi {

    public static final String NAME = "sms-sender";

    public SmsSenderSpi() {
        super(NAME, SmsSenderProvider.class, SmsSenderProviderFactory.class);
    }
}
