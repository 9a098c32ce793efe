package io.github.dropin.keycloak.rest.http;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Base of every dialect's {@link RealmResourceProviderFactory}: the factory's id is the dialect's URL segment, its
 * SPI options ({@code --spi-realm-restapi-extension--<id>--<key>}) are the dialect's server-wide defaults, and
 * {@code --spi-realm-restapi-extension--<id>--enabled=false} switches the dialect off.
 */
public abstract class DialectProviderFactory implements RealmResourceProviderFactory {

    private final Dialect dialect = createDialect();

    /** Creates the dialect (stateless; it reads its settings per request). */
    protected abstract Dialect createDialect();

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new DialectResource(session, dialect);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        // Options are read per request (Dialect#settings), under each realm's own settings.
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    /**
     * The dialect this factory serves. Building it needs no running server, so tools that only read its route table
     * and conventions ({@link Dialect#routes()}, {@link Dialect#accepts()}) use it too: the bad-input test discovers
     * every endpoint of every dialect this way.
     */
    public Dialect dialect() {
        return dialect;
    }
}
