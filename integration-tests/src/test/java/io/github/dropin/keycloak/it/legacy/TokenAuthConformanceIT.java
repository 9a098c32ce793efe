package io.github.dropin.keycloak.it.legacy;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.Test;

/**
 * Dialect {@code token-auth} against its reference backend (seed 000 on Django REST framework's token auth):
 * {@link TokenAuthCorpus}, compared by {@link Conformance}, differences explained by {@code known-differences.json}.
 */
@KeycloakRealm("realms/conformance-token-auth.json")
class TokenAuthConformanceIT {

    @Test
    void answersAsTheDrfReference(TestRealm realm, SmsInbox inbox) {
        try (LegacyBackend reference = LegacyBackend.start("token-auth")) {
            Conformance.run("token-auth", new Side.Reference(reference),
                            new Side.Dialect(realm, "token-auth", inbox, RealmKeys.install(realm)), TokenAuthCorpus.build())
                    .assertConforms();
        }
    }
}
