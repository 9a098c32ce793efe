package io.github.dropin.keycloak.code;

import io.github.dropin.keycloak.PackProviderFactory;

/** Factory of {@link OneTimeCodeProvider}s. */
public interface OneTimeCodeProviderFactory extends PackProviderFactory<OneTimeCodeProvider> {
}
