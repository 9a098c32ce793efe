package io.github.dropin.keycloak.it.legacy;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.Test;

/**
 * Dialect {@code jwt-auth} against its reference backend (seed 004 on SimpleJWT's own views):
 * {@link JwtAuthCorpus}, compared by {@link Conformance}, differences explained by {@code known-differences.json}.
 */
@KeycloakRealm("realms/conformance-jwt-auth.json")
class JwtAuthConformanceIT {

    @Test
    void answersAsTheSimpleJwtReference(TestRealm realm, SmsInbox inbox) {
        try (LegacyBackend reference = LegacyBackend.start("jwt-auth")) {
            Conformance.run("jwt-auth", new Side.Reference(reference),
                            new Side.Dialect(realm, "jwt-auth", inbox, RealmKeys.install(realm)), JwtAuthCorpus.build())
                    .assertConforms();
        }
    }
}
