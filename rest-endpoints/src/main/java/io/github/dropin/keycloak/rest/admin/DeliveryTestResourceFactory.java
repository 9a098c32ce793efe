package io.github.dropin.keycloak.rest.admin;

import io.github.dropin.keycloak.rest.support.AdminResourceFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@link DeliveryTestResource} at {@code /admin/realms/{realm}/dropin-delivery}. */
public class DeliveryTestResourceFactory extends AdminResourceFactory {

    public static final String PROVIDER_ID = "dropin-delivery";

    public DeliveryTestResourceFactory() {
        super(PROVIDER_ID);
    }

    @Override
    protected Object resource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        return new DeliveryTestResource(session, realm, auth, adminEvent);
    }
}
