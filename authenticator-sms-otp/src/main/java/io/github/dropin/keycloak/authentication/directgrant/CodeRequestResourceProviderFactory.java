package io.github.dropin.keycloak.authentication.directgrant;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Serves {@link CodeRequestResource} at {@code /realms/{realm}/}{@value #PROVIDER_ID}. Switch it off with
 * {@code --spi-realm-restapi-extension--sms-code--enabled=false} (build option) if no client signs in by direct
 * grant with codes.
 */
public class CodeRequestResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "sms-code";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new CodeRequestResource(session);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
