package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.github.dropin.keycloak.it.legacy.LegacyBackend;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SimpleJWT refresh tokens of the email-signup reference backend itself (Djoser, its own user model signing in by
 * email; {@code create_user}, {@code RefreshToken.for_user}, {@code blacklist()}; {@code dumpdata emailsignup.user}
 * and {@code dumpdata token_blacklist}): an app refreshes once at email-signup's refresh endpoint, reads Djoser's
 * {@code users/me/} with the Keycloak access token, and the second use and the blacklisted token get SimpleJWT's 401.
 */
@KeycloakRealm("realms/legacy-import.json")
class LegacyRefreshTokensEmailSignupIT {

    static final String BLACKLISTED = "{\"detail\":\"Token is blacklisted\",\"code\":\"token_not_valid\"}";
    static final String REFRESH = "/email-signup/api/v1/auth/token/refresh/";

    final TestRealm realm;
    final KeycloakServer server;

    LegacyRefreshTokensEmailSignupIT(TestRealm realm, KeycloakServer server) {
        this.realm = realm;
        this.server = server;
    }

    @Test
    void anEmailSignupAppRefreshesItsOldTokenOnce() throws Exception {
        Path dir = Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run"))
                .resolve("legacy-refresh-email").toAbsolutePath();
        String secret = "legacy-" + UUID.randomUUID();
        JsonNode manifest = LegacyBackend.buildLegacyRefresh(dir, "email-signup", secret, Optional.empty());
        JsonNode users = realm.admin().request().contentType("application/json").queryParam("model", "emailsignup.user")
                .body(Files.readAllBytes(dir.resolve("users.json"))).post("/dropin-import/users")
                .then().statusCode(200).extract().as(JsonNode.class);
        assertThat(users.path("created").asInt()).as(users.toString()).isEqualTo(2);
        JsonNode blacklist = realm.admin().request().contentType("application/json")
                .body(Files.readAllBytes(dir.resolve("blacklist.json"))).post("/dropin-import/users")
                .then().statusCode(200).extract().as(JsonNode.class);
        assertThat(blacklist.path("refreshTokensBlacklisted").asInt()).as(blacklist.toString()).isEqualTo(1);
        server.putVaultSecret(realm.name(), "legacy_secret_key", secret);
        realm.admin().updateRealmAttributes(Map.of(
                "dropin.legacyRefreshTokens.until", LocalDate.now(ZoneOffset.UTC).plusDays(7).toString(),
                "dropin.legacyRefreshTokens.secret", "${vault.legacy_secret_key}"));

        String legacy = manifest.path("tokens").path("email_signup").path("token").asText();
        Response first = refresh(legacy);
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        JsonNode pair = first.as(JsonNode.class);
        assertThat(pair.fieldNames()).toIterable().containsExactly("access", "refresh");
        Response me = given().header("Authorization", "Bearer " + pair.path("access").asText())
                .get(realm.realmUrl() + "/email-signup/api/v1/auth/users/me/");
        assertThat(me.statusCode()).as(me.asString()).isEqualTo(200);
        assertThat(me.as(JsonNode.class).path("email").asText()).isEqualTo("first-app@example.test");
        refresh(pair.path("refresh").asText()).then().statusCode(200);

        refused(legacy);
        assertThat(manifest.path("tokens").path("blacklisted").path("simplejwt").asText()).isEqualTo("Token is blacklisted");
        refused(manifest.path("tokens").path("blacklisted").path("token").asText());
        String blackId = realm.admin().userByUsername("black@example.test").orElseThrow().path("id").asText();
        assertThat(realm.admin().userSessions(blackId)).isEmpty();
    }

    Response refresh(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh", token)).post(realm.realmUrl() + REFRESH);
    }

    void refused(String token) {
        Response response = refresh(token);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(401);
        assertThat(response.asString()).isEqualTo(BLACKLISTED);
    }
}
