package io.github.dropin.keycloak.rest.http;

import io.github.dropin.keycloak.PackProviderFactory;
import io.github.dropin.keycloak.settings.Setting;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import java.util.List;

/**
 * Base of every dialect's {@link RealmResourceProviderFactory}: the factory's id is the dialect's URL segment, its
 * SPI options ({@code --spi-realm-restapi-extension--<id>--<key>}) are the dialect's server-wide defaults, and
 * {@code --spi-realm-restapi-extension--<id>--enabled=false} switches the dialect off.
 */
public abstract class DialectProviderFactory implements RealmResourceProviderFactory, PackProviderFactory<RealmResourceProvider> {

    private final Dialect dialect;

    /** @param dialect the dialect this factory serves (stateless; it reads its settings per request) */
    protected DialectProviderFactory(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public String getId() {
        return dialect.id();
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return Setting.metadata(dialect.options());
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return PackProviderFactory.resource(() -> new DialectResource(session, dialect));
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
