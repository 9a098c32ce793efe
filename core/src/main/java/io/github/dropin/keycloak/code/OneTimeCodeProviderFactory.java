package io.github.dropin.keycloak.code;

import org.keycloak.provider.ProviderFactory;

/** Factory of {@link OneTimeCodeProvider}s. */
public interface OneTimeCodeProviderFactory extends ProviderFactory<OneTimeCodeProvider> {
}
