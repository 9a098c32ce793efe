package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.TestRealm;
import io.github.dropin.keycloak.it.legacy.LegacyBackend;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §5 for a Django project with a custom user model (the token-auth legacy system: {@code tokenauth.user} with a
 * phone number and a verified flag per channel): the dump imports with {@code --model tokenauth.user} and the
 * default field mapping; phone numbers come normalised to E.164 (national ones in the realm's default region, DE) with
 * their verified state, an unverified email stays unverified, a number that is not one is left out with a warning;
 * every user signs in with the old password, and token-auth's profile answers what the legacy backend's answers.
 */
@KeycloakRealm("realms/legacy-import.json")
class CustomUserImportIT {

    static LegacyExports.Run run;

    final TestRealm realm;

    CustomUserImportIT(TestRealm realm) {
        this.realm = realm;
    }

    @BeforeAll
    static void importTheDump(TestRealm realm) {
        run = LegacyExports.importTool(realm, "--model", "tokenauth.user",
                LegacyExports.file("custom_user.json").toString());
    }

    @Test
    void phonesAndVerifiedFlagsComeAlong() {
        assertThat(run.exit()).isZero();
        assertThat(run.summary().path("created").asInt()).isEqualTo(LegacyExports.users("custom_user").size());
        assertThat(run.summary().path("warnings").asInt()).isEqualTo(2);
        assertThat(run.log()).contains("(legacy id " + LegacyExports.user("custom_user", "bad-phone").path("pk").asText()
                + ", bad-phone): warning phone number '12' is not valid for the realm (invalid); imported without it");
        // Ofcom's range for drama (07700 900xxx): libphonenumber calls it invalid, as the dialects do at registration.
        assertThat(run.log()).contains("staff-phone): warning phone number '+447700900123' is not valid for the realm "
                + "(invalid); imported without it");

        assertThat(phone("phone-verified")).containsExactly("+4915112340001", "true");
        assertThat(phone("phone-unverified")).containsExactly("+4915112340002", "false");
        assertThat(phone("national-number")).containsExactly("+4915112340003", "true");
        assertThat(phone("staff-phone")).isEmpty();
        assertThat(phone("bad-phone")).isEmpty();
        assertThat(phone("email-unverified")).isEmpty();
        JsonNode unverified = realm.admin().userByUsername("email-unverified").orElseThrow();
        assertThat(unverified.path("email").asText()).isEqualTo("unverified@example.test");
        assertThat(unverified.path("emailVerified").asBoolean()).isFalse();
        assertThat(realm.admin().userByUsername("phone-verified").orElseThrow().path("emailVerified").asBoolean()).isTrue();
        String staff = realm.admin().userByUsername("staff-phone").orElseThrow().path("id").asText();
        assertThat(realm.admin().request().get("/users/{id}/role-mappings/realm", staff).then().statusCode(200)
                .extract().jsonPath().getList("name", String.class)).contains("staff");
    }

    @Test
    void everyUserSignsInWithTheOldPasswordAndTokenAuthKeepsItsVerifiedRule() {
        for (JsonNode user : LegacyExports.users("custom_user")) {
            String username = user.path("username").asText();
            String email = user.path("fields").path("email").asText("");
            String password = user.path("password").asText();
            for (String dialect : List.of("users-api", "jwt-auth")) {
                assertThat(ImportedUsers.signIn(realm, dialect, username, email, password).statusCode())
                        .as("%s through %s", username, dialect).isEqualTo(200);
            }
            if (!email.isEmpty()) {
                assertThat(ImportedUsers.signIn(realm, "email-signup", username, email, password).statusCode())
                        .as("%s through email-signup", username).isEqualTo(200);
            }
            Response tokenAuth = ImportedUsers.signIn(realm, "token-auth", username, email, password);
            // The legacy token-auth signs in accounts with a verified phone or email only; so does the dialect.
            boolean verified = user.path("fields").path("is_email_verified").asBoolean() && !email.isEmpty()
                    || user.path("fields").path("is_phone_verified").asBoolean() && !username.equals("bad-phone");
            if (verified) {
                assertThat(tokenAuth.statusCode()).as(username + ": " + tokenAuth.asString()).isEqualTo(200);
            } else {
                assertThat(tokenAuth.asString()).as(username).isEqualTo(ImportedUsers.NOT_VERIFIED);
            }
        }
    }

    @Test
    void tokenAuthsProfileIsTheLegacyBackendsWithTheLegacyIdsOn() {
        realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.legacyIds", "true"));
        try (LegacyBackend reference = LegacyBackend.start("token-auth",
                LegacyExports.manifest().path("custom_user").path("database").asText())) {
            for (String username : List.of("phone-verified", "staff-phone", "bad-phone", "national-number")) {
                JsonNode user = LegacyExports.user("custom_user", username);
                JsonNode theirs = given().header("Authorization", "Token " + reference.drfToken(username))
                        .get(reference.baseUrl() + "/api/profile/").then().statusCode(200).extract().as(JsonNode.class);
                String key = ImportedUsers.signIn(realm, "token-auth", username, "", user.path("password").asText())
                        .then().statusCode(200).extract().path("token");
                JsonNode ours = given().header("Authorization", "Token " + key)
                        .get(realm.realmUrl() + "/token-auth/api/profile/").then().statusCode(200).extract().as(JsonNode.class);
                switch (username) {
                    // The numbers the legacy database held as typed: E.164 in Keycloak, or left out when invalid.
                    case "national-number" -> assertThat(ours.path("phone_number").asText()).isEqualTo("+4915112340003");
                    case "bad-phone", "staff-phone" -> {
                        assertThat(ours.path("phone_number").asText()).isEmpty();
                        assertThat(ours.path("is_phone_verified").asBoolean()).isFalse();
                    }
                    default -> assertThat(ours).isEqualTo(theirs);
                }
                assertThat(ours.path("id")).isEqualTo(theirs.path("id"));
            }
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.legacyIds", "false"));
        }
    }

    private List<String> phone(String username) {
        JsonNode attributes = realm.admin().userByUsername(username).orElseThrow().path("attributes");
        if (!attributes.has("phoneNumber")) {
            return List.of();
        }
        return List.of(attributes.path("phoneNumber").get(0).asText(), attributes.path("phoneNumberVerified").get(0).asText());
    }
}
