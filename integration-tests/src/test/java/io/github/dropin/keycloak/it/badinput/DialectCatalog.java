package io.github.dropin.keycloak.it.badinput;

import io.github.dropin.keycloak.rest.http.BodyReader;
import io.github.dropin.keycloak.rest.http.Dialect;
import io.github.dropin.keycloak.rest.http.DialectProviderFactory;
import io.github.dropin.keycloak.rest.http.Route;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Every dialect the pack registers, found the way Keycloak finds them ({@code META-INF/services} entries for
 * {@link RealmResourceProviderFactory} in the pack's jar), with what its dispatcher serves read from the code: its
 * route table and the framework's {@code openapi.json} ({@link Dialect#served()}). A dialect added later is covered
 * without touching the tests.
 */
final class DialectCatalog {

    /** One dialect: its URL segment, what bodies it parses, and the routes it serves. */
    record DialectInfo(String id, BodyReader.Accepts accepts, List<Route> routes) {
    }

    private DialectCatalog() {
    }

    static List<DialectInfo> discover() {
        List<DialectInfo> dialects = new ArrayList<>();
        ServiceLoader<RealmResourceProviderFactory> loader = ServiceLoader.load(RealmResourceProviderFactory.class);
        for (var iterator = loader.stream().iterator(); ; ) {
            ServiceLoader.Provider<RealmResourceProviderFactory> provider;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                provider = iterator.next();
            } catch (ServiceConfigurationError notOurs) {
                // Keycloak's own factories need classes the test classpath lacks; ours would fail below.
                continue;
            }
            Class<? extends RealmResourceProviderFactory> type;
            try {
                type = provider.type();
            } catch (LinkageError | ServiceConfigurationError e) {
                continue;
            }
            if (DialectProviderFactory.class.isAssignableFrom(type)) {
                DialectProviderFactory factory = (DialectProviderFactory) provider.get();
                Dialect dialect = factory.dialect();
                if (!dialect.id().equals(factory.getId())) {
                    throw new IllegalStateException("Factory " + type.getName() + " has id '" + factory.getId()
                            + "' but its dialect says '" + dialect.id() + "'");
                }
                dialects.add(new DialectInfo(dialect.id(), dialect.accepts(), List.copyOf(dialect.served())));
            }
        }
        dialects.sort(Comparator.comparing(DialectInfo::id));
        return dialects;
    }
}
