package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §5 for a Flask app's users in CSV with Werkzeug's password hashes ({@code pbkdf2:sha256}, {@code pbkdf2:sha1},
 * and {@code scrypt} as Werkzeug 3 writes it): imported through the pack's verify-only hash providers, every user
 * signs in through every password dialect with the old password (short, long and non-ASCII), and Keycloak re-hashes
 * each one to the realm's policy at the first sign-in.
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
    }
}
