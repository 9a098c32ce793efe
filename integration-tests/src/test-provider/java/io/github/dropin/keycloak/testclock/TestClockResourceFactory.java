package io.github.dropin.keycloak.testclock;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * TEST ONLY. Registers {@link TestClockResource} at {@code /admin/realms/master/dropin-test-time}, which moves this
 * node's clock (Keycloak's {@code Time} offset) for the integration tests, as Keycloak's own test suite does with
 * its {@code testing-timeoffset} resource. Built by {@code integration-tests} into its own jar
 * ({@code target/test-providers/}) and installed only into the servers the tests start; never part of
 * {@code dropin-keycloak.jar} (ShadedJarIT checks).
 */
public class TestClockResourceFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider {

    public static final String PROVIDER_ID = "dropin-test-time";

    private static final Logger LOG = Logger.getLogger(TestClockResourceFactory.class);

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        return new TestClockResource(realm, auth);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Loud on purpose: a server that has this provider lets its administrator move time.
        LOG.warnf("Test-only provider %s is installed: the master realm's administrators can move this node's clock. "
                + "It belongs in test servers only.", PROVIDER_ID);
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
