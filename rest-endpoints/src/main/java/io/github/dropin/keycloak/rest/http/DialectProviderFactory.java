package io.github.dropin.keycloak.rest.http;

import io.github.dropin.keycloak.code.DefaultOneTimeCodeProviderFactory;
import io.github.dropin.keycloak.code.OneTimeCodeProvider;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Base of every dialect's {@link RealmResourceProviderFactory}: the factory's id is the dialect's URL segment, its
 * SPI options ({@code --spi-realm-restapi-extension--<id>--<key>}) are the dialect's server-wide defaults, and
 * {@code --spi-realm-restapi-extension--<id>--enabled=false} switches the dialect off.
 */
public abstract class DialectProviderFactory implements RealmResourceProviderFactory {

    private Config.Scope config;
    private Dialect dialect;

    /** Creates the dialect once its own and the code engine's options are known. */
    protected abstract Dialect createDialect(Config.Scope config, Config.Scope engineConfig);

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        Dialect d = dialect;
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new DialectResource(session, d);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        this.config = config;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        ProviderFactory<OneTimeCodeProvider> engine = factory.getProviderFactory(OneTimeCodeProvider.class,
                DefaultOneTimeCodeProviderFactory.PROVIDER_ID);
        Config.Scope engineConfig = engine instanceof DefaultOneTimeCodeProviderFactory d ? d.config() : null;
        this.dialect = createDialect(config, engineConfig);
    }

    @Override
    public void close() {
    }

    /** The dialect this factory serves (after post-init). */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * A dialect built from the given option scopes without a running server, for tools that only read its route
     * table and conventions ({@link Dialect#routes()}, {@link Dialect#accepts()}): the bad-input test discovers every
     * endpoint of every dialect this way. Its handlers are never called.
     */
    public Dialect describe(Config.Scope config, Config.Scope engineConfig) {
        return createDialect(config, engineConfig);
    }
}
