package io.github.dropin.keycloak.rest.importing;

import io.github.dropin.keycloak.rest.support.AdminResourceFactory;

/** {@link ImportResource} at {@code /admin/realms/{realm}/dropin-import}. */
public class ImportResourceFactory extends AdminResourceFactory {

    public static final String PROVIDER_ID = "dropin-import";

    public ImportResourceFactory() {
        super(PROVIDER_ID, ImportResource::new);
    }
}
