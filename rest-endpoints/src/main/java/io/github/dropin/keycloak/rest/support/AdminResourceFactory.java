package io.github.dropin.keycloak.rest.support;

import io.github.dropin.keycloak.PackProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Registers one of the pack's resources in Keycloak's admin REST API at {@code /admin/realms/{realm}/<id>}, where
 * Keycloak authenticates the administrator first; the resource checks the permissions it needs. Like the realm REST
 * extensions, this SPI is marked internal, so Keycloak logs a warning about it at start. Factory and provider are one
 * stateless object.
 */
public abstract class AdminResourceFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider,
        PackProviderFactory<AdminRealmResourceProvider> {

    /** Makes the JAX-RS resource serving one request (typically an {@link AdminResource}'s constructor). */
    @FunctionalInterface
    public interface Resources {
        Object create(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                      AdminEventBuilder adminEvent);
    }

    private final String id;
    private final Resources resources;

    protected AdminResourceFactory(String id, Resources resources) {
        this.id = id;
        this.resources = resources;
    }

    @Override
    public final AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public final Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                                    AdminEventBuilder adminEvent) {
        return resources.create(session, realm, auth, adminEvent);
    }

    @Override
    public final String getId() {
        return id;
    }

    @Override
    public final void close() {
        // Nothing held.
    }
}
