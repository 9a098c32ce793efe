package io.github.dropin.keycloak.credential;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/** Registers the {@value PinCredentialProvider#TYPE} credential type. */
public class PinCredentialProviderFactory implements CredentialProviderFactory<PinCredentialProvider> {

    public static final String PROVIDER_ID = PinCredentialProvider.TYPE;

    @Override
    public PinCredentialProvider create(KeycloakSession session) {
        return new PinCredentialProvider(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
