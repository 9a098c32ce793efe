package io.github.dropin.keycloak.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second class with another realm: it runs on the server the other classes use (one boot per JVM,
 * whichever class comes first) and gets a realm of its own.
 */
@KeycloakRealm("realms/shared.json")
class SharedServerIT {

    @Test
    void usesTheServerStartedOnceForAllClasses(ServerLog log) {
        assertThat(log.count(ServerSmokeIT.STARTED)).isEqualTo(1);
    }

    @Test
    void getsItsOwnRealmNamedAfterTheFixtureFile(TestRealm realm) {
        // The fixture's name is "${realm}", so the base name comes from the file name.
        assertThat(realm.name()).matches("shared-[a-z0-9]{6}");
        assertThat(realm.admin().realm().path("enabled").asBoolean()).isTrue();
    }

    @Test
    void sameRealmForTheWholeClass(TestRealm first, TestRealm second) {
        assertThat(first).isSameAs(second);
    }
}
