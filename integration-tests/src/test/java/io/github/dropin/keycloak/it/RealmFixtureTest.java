package io.github.dropin.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Renaming of realm fixtures, without a server. */
class RealmFixtureTest {

    @Test
    void renamesTheRealmReplacesPlaceholdersAndDropsTheId() throws Exception {
        String fixture = """
                {"id": "fixed", "realm": "demo", "displayName": "${client_account}",
                 "clients": [{"clientId": "app", "redirectUris": ["https://app/${realm}/cb"]}]}""";

        RealmFixture.Prepared prepared = RealmFixture.prepare(fixture, "file", "abc123");
        JsonNode realm = AdminApi.JSON.readTree(prepared.json());

        assertThat(prepared.name()).isEqualTo("demo-abc123");
        assertThat(realm.path("realm").asText()).isEqualTo("demo-abc123");
        assertThat(realm.has("id")).isFalse();
        assertThat(realm.at("/clients/0/redirectUris/0").asText()).isEqualTo("https://app/demo-abc123/cb");
        // Keycloak's own ${...} message keys are left alone.
        assertThat(realm.path("displayName").asText()).isEqualTo("${client_account}");
    }

    @Test
    void usesTheFileNameWhenTheFixtureNamesNoRealm() {
        assertThat(RealmFixture.prepare("{\"realm\": \"${realm}\"}", RealmFixture.baseName("realms/phone-otp.json"), "x1")
                .name()).isEqualTo("phone-otp-x1");
        assertThat(RealmFixture.prepare("{}", "base", "x2").name()).isEqualTo("base-x2");
    }

    @Test
    void rejectsWhatIsNotARealmObject() {
        assertThatThrownBy(() -> RealmFixture.prepare("[]", "b", "s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RealmFixture.prepare("{", "b", "s")).isInstanceOf(IllegalArgumentException.class);
    }
}
