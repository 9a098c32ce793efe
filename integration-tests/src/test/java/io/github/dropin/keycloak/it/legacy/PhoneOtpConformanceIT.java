package io.github.dropin.keycloak.it.legacy;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.Test;

/**
 * Dialect {@code phone-otp} against its reference backend (seed 001 on Flask 2.2, tokens shaped as flask-jwt-extended shapes them):
 * {@link PhoneOtpCorpus}, compared by {@link Conformance}, differences explained by {@code known-differences.json}.
 */
@KeycloakRealm("realms/conformance-phone-otp.json")
class PhoneOtpConformanceIT {

    @Test
    void answersAsTheFlaskReference(TestRealm realm, SmsInbox inbox) {
        try (LegacyBackend reference = LegacyBackend.start("phone-otp")) {
            Conformance.run("phone-otp", new Side.Reference(reference),
                            new Side.Dialect(realm, "phone-otp", inbox, RealmKeys.install(realm)), PhoneOtpCorpus.build())
                    .assertConforms();
        }
    }
}
