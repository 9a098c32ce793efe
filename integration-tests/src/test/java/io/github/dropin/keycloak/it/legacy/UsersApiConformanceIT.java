package io.github.dropin.keycloak.it.legacy;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.Test;

/**
 * Dialect {@code users-api} against its reference backend (seed 003 on a DRF viewset, DRF token auth and django-rest-passwordreset's views):
 * {@link UsersApiCorpus}, compared by {@link Conformance}, differences explained by {@code known-differences.json}.
 */
@KeycloakRealm("realms/conformance-users-api.json")
class UsersApiConformanceIT {

    @Test
    void answersAsTheDrfReference(TestRealm realm, SmsInbox inbox) {
        try (LegacyBackend reference = LegacyBackend.start("users-api")) {
            Conformance.run("users-api", new Side.Reference(reference),
                            new Side.Dialect(realm, "users-api", inbox, RealmKeys.install(realm)), UsersApiCorpus.build())
                    .assertConforms();
        }
    }
}
