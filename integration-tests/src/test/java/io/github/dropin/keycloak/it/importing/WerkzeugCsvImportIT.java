package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Jwts;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §5 for a Flask app's users in CSV with Werkzeug's password hashes ({@code pbkdf2:sha256}, {@code pbkdf2:sha1},
 * and {@code scrypt} as Werkzeug 3 writes it): imported through the pack's verify-only hash providers, every user
 * signs in through every password dialect with the old password (short, long and non-ASCII), and Keycloak re-hashes
 * each one to the realm's policy at the first sign-in; with the dialects' {@code legacyIds} on, the CSV's ids come back
 * in SimpleJWT's {@code user_id} claim and users-api's paths and bodies.
 */
@KeycloakRealm("realms/legacy-import.json")
class WerkzeugCsvImportIT {

    final TestRealm realm;

    WerkzeugCsvImportIT(TestRealm realm) {
        this.realm = realm;
    }

    @Test
    void everyUserSignsInWithTheOldPasswordAndIsReHashed() {
        LegacyExports.Run run = LegacyExports.importTool(realm, "--email-verified", "true",
                LegacyExports.file("werkzeug_users.csv").toString());
        assertThat(run.exit()).isZero();
        List<JsonNode> users = LegacyExports.users("werkzeug");
        assertThat(run.summary().path("created").asInt()).isEqualTo(users.size());

        for (JsonNode user : users) {
            String username = user.path("username").asText();
            String email = user.path("email").asText("");
            String password = user.path("password").asText();
            String id = realm.admin().userByUsername(username).orElseThrow().path("id").asText();
            assertThat(ImportedUsers.credentialData(realm, id).path("algorithm").asText()).isEqualTo(
                    user.path("hasher").asText().equals("scrypt") ? "dropin-werkzeug-scrypt" : "dropin-werkzeug-pbkdf2");

            for (String dialect : List.of("jwt-auth", "users-api", "token-auth", "email-signup")) {
                if (dialect.equals("email-signup") && email.isEmpty()) {
                    continue;
                }
                Response response = ImportedUsers.signIn(realm, dialect, username, email, password);
                if (dialect.equals("token-auth") && email.isEmpty() && !user.path("phone_verified").asText().equals("true")) {
                    assertThat(response.asString()).isEqualTo(ImportedUsers.NOT_VERIFIED);
                } else {
                    assertThat(response.statusCode()).as("%s through %s: %s", username, dialect, response.asString())
                            .isEqualTo(200);
                }
            }
            ImportedUsers.awaitCredential(realm, id, ImportedUsers::isRealmPolicy);
            assertThat(ImportedUsers.signIn(realm, "jwt-auth", username, email, password + "x").statusCode()).isEqualTo(401);
        }

        // The CSV's id column is the legacy id the dialects answer where their setting is on.
        realm.admin().updateRealmAttributes(Map.of("dropin.jwt-auth.legacyIds", "true", "dropin.users-api.legacyIds", "true"));
        try {
            for (JsonNode user : users) {
                String username = user.path("username").asText();
                long legacyId = user.path("id").asLong();
                String password = user.path("password").asText();
                JsonNode claims = Jwts.verifiedPayload(realm, ImportedUsers.signIn(realm, "jwt-auth", username, "", password)
                        .then().statusCode(200).extract().path("access"));
                assertThat(claims.path("user_id").isIntegralNumber()).as(username).isTrue();
                assertThat(claims.path("user_id").asLong()).as(username).isEqualTo(legacyId);
                assertThat(claims.path("token_type").asText()).isEqualTo("access");
                String key = ImportedUsers.signIn(realm, "users-api", username, "", password).then().statusCode(200)
                        .extract().path("token");
                assertThat(given().header("Authorization", "Token " + key)
                        .get(realm.realmUrl() + "/users-api/api/v1/users/" + legacyId + "/").then().statusCode(200)
                        .extract().as(JsonNode.class).path("id").asLong()).as(username).isEqualTo(legacyId);
            }
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.jwt-auth.legacyIds", "false", "dropin.users-api.legacyIds", "false"));
        }
    }
}
