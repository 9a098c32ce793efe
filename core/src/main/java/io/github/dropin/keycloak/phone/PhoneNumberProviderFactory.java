package io.github.dropin.keycloak.phone;

import io.github.dropin.keycloak.PackProviderFactory;

/** Factory of {@link PhoneNumberProvider}s. */
public interface PhoneNumberProviderFactory extends PackProviderFactory<PhoneNumberProvider> {
}
