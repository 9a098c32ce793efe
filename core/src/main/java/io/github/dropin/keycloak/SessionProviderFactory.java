package io.github.dropin.keycloak;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.Provider;

import java.util.function.Function;

/**
 * A factory of the pack whose provider is made for each session by a constructor, and which keeps nothing itself.
 *
 * @param <T> the SPI's provider type
 */
public abstract class SessionProviderFactory<T extends Provider> implements PackProviderFactory<T> {

    private final String id;
    private final Function<KeycloakSession, ? extends T> constructor;

    protected SessionProviderFactory(String id, Function<KeycloakSession, ? extends T> constructor) {
        this.id = id;
        this.constructor = constructor;
    }

    @Override
    public T create(KeycloakSession session) {
        return constructor.apply(session);
    }

    @Override
    public String getId() {
        return id;
    }
}
