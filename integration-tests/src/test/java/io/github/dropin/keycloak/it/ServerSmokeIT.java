package io.github.dropin.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness works end to end: a real Keycloak with the pack's jars, an imported realm, our REST resource. */
@KeycloakRealm("realms/smoke.json")
class ServerSmokeIT {

    /** Quarkus prints this once per boot: "Keycloak 26.7.3 on JVM (powered by Quarkus ...) started in 4.1s." */
    static final Pattern STARTED = Pattern.compile("Keycloak \\S+ on JVM .* started in");

    @Test
    void serverIsReady(KeycloakServer server) {
        RestAssured.get(server.managementUrl() + "/health/ready").then().statusCode(200);
    }

    @Test
    void serverInfoListsThePackAndTheExpectedVersion(KeycloakServer server) throws Exception {
        String body = RestAssured.given().auth().oauth2(server.adminToken())
                .get(server.serverUrl() + "/admin/serverinfo").then().statusCode(200).extract().asString();
        JsonNode info = AdminApi.JSON.readTree(body);

        assertThat(info.at("/systemInfo/version").asText()).isEqualTo(System.getProperty("dropin.it.keycloakVersion"));
        assertThat(info.at("/providers/realm-restapi-extension/providers").has("phone-otp")).isTrue();
    }

    @Test
    void realmIsImportedUnderAUniqueName(TestRealm realm) {
        assertThat(realm.name()).matches("smoke-[a-z0-9]{6}");
        assertThat(realm.admin().realm().path("realm").asText()).isEqualTo(realm.name());
        // ${realm} in the fixture became the realm's name.
        assertThat(realm.admin().clients("smoke-app")).singleElement()
                .satisfies(client -> assertThat(client.at("/redirectUris/0").asText())
                        .isEqualTo("http://localhost/" + realm.name() + "/*"));
        String issuer = RestAssured.get(realm.realmUrl() + "/.well-known/openid-configuration")
                .then().statusCode(200).extract().path("issuer");
        assertThat(issuer).isEqualTo(realm.realmUrl());
    }

    @Test
    void packRestResourceAnswersUnderTheRealm(TestRealm realm) {
        // Unknown paths under a dialect answer in the dialect's own shape, not Keycloak's.
        RestAssured.get(realm.realmUrl() + "/phone-otp/anything").then().statusCode(404)
                .body(org.hamcrest.Matchers.equalTo("{\"error\":\"Not found\"}"));
    }

    @Test
    void serverStartedOnce(ServerLog log) {
        assertThat(log.count(STARTED)).isEqualTo(1);
    }
}
