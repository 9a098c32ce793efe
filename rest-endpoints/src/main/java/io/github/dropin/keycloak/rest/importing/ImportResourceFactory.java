package io.github.dropin.keycloak.rest.importing;

import io.github.dropin.keycloak.rest.support.AdminResourceFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@link ImportResource} at {@code /admin/realms/{realm}/dropin-import}. */
public class ImportResourceFactory extends AdminResourceFactory {

    public static final String PROVIDER_ID = "dropin-import";

    public ImportResourceFactory() {
        super(PROVIDER_ID);
    }

    @Override
    protected Object resource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        return new ImportResource(session, realm, auth, adminEvent);
    }
}
