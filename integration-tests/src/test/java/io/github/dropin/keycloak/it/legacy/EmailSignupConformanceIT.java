package io.github.dropin.keycloak.it.legacy;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.Test;

/**
 * Dialect {@code email-signup} against its reference backend (seed 002 on Djoser 2.1 and SimpleJWT 5.2 with an email-login user model):
 * {@link EmailSignupCorpus}, compared by {@link Conformance}, differences explained by {@code known-differences.json}.
 */
@KeycloakRealm("realms/conformance-email-signup.json")
class EmailSignupConformanceIT {

    @Test
    void answersAsTheDjoserReference(TestRealm realm, SmsInbox inbox) {
        try (LegacyBackend reference = LegacyBackend.start("email-signup")) {
            Conformance.run("email-signup", new Side.Reference(reference),
                            new Side.Dialect(realm, "email-signup", inbox, RealmKeys.install(realm)), EmailSignupCorpus.build())
                    .assertConforms();
        }
    }
}
