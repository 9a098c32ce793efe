package io.github.dropin.keycloak.authentication.directgrant;

import io.github.dropin.keycloak.PackProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Serves {@link CodeRequestResource} at {@code /realms/{realm}/}{@value #PROVIDER_ID}. Switch it off with
 * {@code --spi-realm-restapi-extension--sms-code--enabled=false} (build option) if no client signs in by direct
 * grant with codes.
 */
public class CodeRequestResourceProviderFactory implements RealmResourceProviderFactory, PackProviderFactory<RealmResourceProvider> {

    public static final String PROVIDER_ID = "sms-code";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return PackProviderFactory.resource(() -> new CodeRequestResource(session));
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
