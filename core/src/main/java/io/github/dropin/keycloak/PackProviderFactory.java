package io.github.dropin.keycloak;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;

import java.util.function.Supplier;

/**
 * A provider factory of the pack: nothing to do at start and stop by default. The pack reads server options per
 * request ({@link io.github.dropin.keycloak.settings.RealmSettings}) under each realm's own settings, so factories
 * rarely keep anything from {@link #init}; those that hold resources override {@link #close()}.
 */
public interface PackProviderFactory<T extends Provider> extends ProviderFactory<T> {

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }

    /** A realm REST resource provider that serves what {@code resource} makes and holds nothing to close. */
    static RealmResourceProvider resource(Supplier<Object> resource) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return resource.get();
            }

            @Override
            public void close() {
            }
        };
    }
}
