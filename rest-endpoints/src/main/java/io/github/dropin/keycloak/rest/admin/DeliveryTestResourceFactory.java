package io.github.dropin.keycloak.rest.admin;

import io.github.dropin.keycloak.rest.support.AdminResourceFactory;

/** {@link DeliveryTestResource} at {@code /admin/realms/{realm}/dropin-delivery}. */
public class DeliveryTestResourceFactory extends AdminResourceFactory {

    public static final String PROVIDER_ID = "dropin-delivery";

    public DeliveryTestResourceFactory() {
        super(PROVIDER_ID, DeliveryTestResource::new);
    }
}
