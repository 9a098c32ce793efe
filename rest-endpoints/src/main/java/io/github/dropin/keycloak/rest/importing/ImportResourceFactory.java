package io.github.dropin.keycloak.rest.importing;

import io.github.dropin.keycloak.PackProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Registers {@link ImportResource} in Keycloak's admin REST API at {@code /admin/realms/{realm}/dropin-import}, where
 * Keycloak authenticates the administrator first. Like the realm REST extensions, this SPI is marked internal, so
 * Keycloak logs a warning about it at start.
 */
public class ImportResourceFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider,
        PackProviderFactory<AdminRealmResourceProvider> {

    public static final String PROVIDER_ID = "dropin-import";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        return new ImportResource(session, realm, auth, adminEvent);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void close() {
        // Factory and provider are this one stateless object.
    }
}
