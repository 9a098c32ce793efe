package io.github.dropin.keycloak.phone;

import org.keycloak.provider.ProviderFactory;

/** Factory of {@link PhoneNumberProvider}s. */
public interface PhoneNumberProviderFactory extends ProviderFactory<PhoneNumberProvider> {
}
