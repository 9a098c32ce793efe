package io.github.dropin.keycloak.phone;

import io.github.dropin.keycloak.PackSpi;

/** SPI {@code phone-number}: parsing and normalisation of phone numbers. */
public class PhoneNumberSpi extends PackSpi {

    public static final String NAME = "phone-number";

    public PhoneNumberSpi() {
        super(NAME, PhoneNumberProvider.class, PhoneNumberProviderFactory.class);
    }
}
