package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.github.dropin.keycloak.it.legacy.LegacyBackend;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, "signed-in users stay signed in", for SimpleJWT refresh tokens, against a real Django database: the
 * jwt-auth reference backend's {@code migrate}, users by {@code create_user}, refresh tokens by SimpleJWT's
 * {@code RefreshToken.for_user} (one blacklisted by SimpleJWT, one rotated by SimpleJWT's own refresh), exported with
 * {@code dumpdata auth.user} and {@code dumpdata token_blacklist} ({@code tools/build_legacy_refresh.py}) and imported
 * through the import endpoint; the legacy {@code SECRET_KEY} only in Keycloak's file vault. An app holding an old
 * refresh token refreshes once through jwt-auth or email-signup and then lives on Keycloak tokens (a Keycloak session
 * the administrator sees); the second use, the imported blacklist, expired, forged and wrong-kind tokens, the setting
 * off or past its end date all get SimpleJWT's 401s, in SimpleJWT's own words for each token.
 */
@KeycloakRealm("realms/legacy-import.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LegacyRefreshTokensIT {

    static final String UNTIL = "dropin.legacyRefreshTokens.until";
    static final String SECRET = "dropin.legacyRefreshTokens.secret";
    static final String VAULT_KEY = "legacy_secret_key";
    static final String INVALID = "{\"detail\":\"Token is invalid or expired\",\"code\":\"token_not_valid\"}";
    static final String BLACKLISTED = "{\"detail\":\"Token is blacklisted\",\"code\":\"token_not_valid\"}";
    static final String WRONG_TYPE = "{\"detail\":\"Token has wrong type\",\"code\":\"token_not_valid\"}";
    static final String JWT_AUTH_REFRESH = "/jwt-auth/auth/token/refresh";
    static final String EMAIL_SIGNUP_REFRESH = "/email-signup/api/v1/auth/token/refresh/";

    static Path dir;
    static JsonNode manifest;
    static JsonNode usersImport;
    static JsonNode blacklistImport;
    static String toolLog;
    static final String SECRET_KEY = "legacy-" + UUID.randomUUID();

    final TestRealm realm;

    LegacyRefreshTokensIT(TestRealm realm) {
        this.realm = realm;
    }

    @BeforeAll
    static void buildAndImport(TestRealm realm, KeycloakServer server) {
        dir = Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run")).resolve("legacy-refresh")
                .toAbsolutePath();
        manifest = LegacyBackend.buildLegacyRefresh(dir, SECRET_KEY, Optional.empty());
        usersImport = importFile(realm, "users.json");
        // The blacklist through the command-line tool, in parts of 5 records: the blacklist rows come in a later
        // request than the outstanding tokens they name.
        LegacyExports.Run tool = LegacyExports.importTool(realm, dir, "--rows-per-request", "5",
                dir.resolve("blacklist.json").toString());
        assertThat(tool.exit()).as(tool.log()).isZero();
        blacklistImport = tool.summary();
        toolLog = tool.log();
        server.putVaultSecret(realm.name(), VAULT_KEY, SECRET_KEY);
        realm.admin().updateRealmAttributes(Map.of(SECRET, "${vault." + VAULT_KEY + "}"));
    }

    static JsonNode importFile(TestRealm realm, String name) {
        try {
            return realm.admin().request().contentType("application/json").queryParam("emailVerified", "true")
                    .body(Files.readAllBytes(dir.resolve(name))).post("/dropin-import/users")
                    .then().statusCode(200).extract().as(JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode token(String name) {
        JsonNode token = manifest.path("tokens").path(name);
        assertThat(token.isMissingNode()).as(name).isFalse();
        return token;
    }

    Response refresh(String path, String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh", refreshToken))
                .post(realm.realmUrl() + path);
    }

    void refused(String path, String refreshToken, String body) {
        Response response = refresh(path, refreshToken);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(401);
        assertThat(response.asString()).isEqualTo(body);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"api\"");
    }

    String keycloakId(String username) {
        return realm.admin().userByUsername(username).orElseThrow().path("id").asText();
    }

    void attributes(Map<String, String> attributes) {
        realm.admin().updateRealmAttributes(attributes);
    }

    void openUntil(String value) {
        attributes(Map.of(UNTIL, value));
    }

    @Test
    @Order(0)
    void theImportReadsTheBlacklistWithoutKeepingAnyToken() {
        assertThat(usersImport.path("created").asInt()).isEqualTo(4);
        assertThat(usersImport.path("refused").asInt()).isZero();
        // for_user recorded one outstanding token per minted token (the rotated one's successor is not outstanding
        // in SimpleJWT 5.2); SimpleJWT blacklisted two of them.
        int minted = manifest.path("tokens").size() - 1;
        assertThat(blacklistImport.path("refreshTokens").asInt()).isEqualTo(minted);
        assertThat(blacklistImport.path("refreshTokensBlacklisted").asInt()).isEqualTo(2);
        assertThat(blacklistImport.path("refused").asInt()).isZero();
        assertThat(blacklistImport.path("rows").asInt()).isEqualTo(minted + 2);
        assertThat(blacklistImport.path("created").asInt()).isZero();
        String users = realm.admin().findUsers(Map.of("max", 100)).toString();
        manifest.path("tokens").forEach(t -> {
            assertThat(blacklistImport.toString()).doesNotContain(t.path("token").asText());
            assertThat(toolLog).doesNotContain(t.path("token").asText());
            assertThat(users).doesNotContain(t.path("token").asText());
        });
        // The secret is in the vault only: the realm holds the reference.
        assertThat(realm.admin().realm().toString()).doesNotContain(SECRET_KEY);
        assertThat(realm.admin().realm().path("attributes").path(SECRET).asText()).isEqualTo("${vault.legacy_secret_key}");
    }

    @Test
    @Order(1)
    void offByDefault() {
        assertThat(realm.admin().realm().path("attributes").path(UNTIL).isMissingNode()).isTrue();
        refused(JWT_AUTH_REFRESH, token("jwt_auth").path("token").asText(), INVALID);
        refused(EMAIL_SIGNUP_REFRESH, token("email_signup").path("token").asText(), INVALID);
        assertThat(realm.admin().userSessions(keycloakId("refresher"))).isEmpty();
    }

    @Test
    @Order(2)
    void anAppHoldingAnOldRefreshTokenRefreshesOnceAndThenLivesOnKeycloakTokens() {
        openUntil(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
        String legacy = token("jwt_auth").path("token").asText();
        String id = keycloakId("refresher");

        Response first = refresh(JWT_AUTH_REFRESH, legacy);
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        JsonNode pair = first.as(JsonNode.class);
        assertThat(pair.fieldNames()).toIterable().containsExactly("refresh", "access");
        // The access token is Keycloak's, and works on the dialect's authenticated route.
        assertThat(given().header("Authorization", "Bearer " + pair.path("access").asText())
                .get(realm.realmUrl() + "/jwt-auth/auth/getuser").asString()).isEqualTo("{\"username\":\"refresher\"}");

        // The second use of the legacy token: refused, as SimpleJWT refuses a rotated one (the manifest has its words).
        assertThat(token("rotated_old").path("simplejwt").asText()).isEqualTo("Token is blacklisted");
        refused(JWT_AUTH_REFRESH, legacy, BLACKLISTED);
        refused(EMAIL_SIGNUP_REFRESH, legacy, BLACKLISTED);

        // One Keycloak session, which an administrator sees, made by a sign-in the events name.
        List<JsonNode> sessions = realm.admin().userSessions(id);
        assertThat(sessions).hasSize(1);
        String sessionId = sessions.get(0).path("id").asText();
        assertThat(sessions.get(0).path("clients").toString()).contains("jwt-auth");
        assertThat(realm.admin().events("LOGIN")).anySatisfy(e -> {
            assertThat(e.path("userId").asText()).isEqualTo(id);
            assertThat(e.path("sessionId").asText()).isEqualTo(sessionId);
            assertThat(e.path("details").path("auth_method").asText()).isEqualTo("legacy-simplejwt-refresh");
        });

        // From now on the app refreshes Keycloak's refresh tokens, each once.
        Response next = refresh(JWT_AUTH_REFRESH, pair.path("refresh").asText());
        assertThat(next.statusCode()).as(next.asString()).isEqualTo(200);
        refused(JWT_AUTH_REFRESH, pair.path("refresh").asText(), BLACKLISTED);
        assertThat(realm.admin().userSessions(id)).extracting(s -> s.path("id").asText()).containsExactly(sessionId);

        // The administrator ends the session: its tokens are dead; the legacy token stays used.
        realm.admin().request().delete("/sessions/{id}", sessionId).then().statusCode(204);
        refused(JWT_AUTH_REFRESH, next.as(JsonNode.class).path("refresh").asText(), BLACKLISTED);
        refused(JWT_AUTH_REFRESH, legacy, BLACKLISTED);
        assertThat(realm.admin().userSessions(id)).isEmpty();
    }

    @Test
    @Order(3)
    void emailSignupsRefreshTakesThemToo() {
        openUntil(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
        String legacy = token("email_signup").path("token").asText();
        Response first = refresh(EMAIL_SIGNUP_REFRESH, legacy);
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        JsonNode pair = first.as(JsonNode.class);
        assertThat(pair.fieldNames()).toIterable().containsExactly("access", "refresh");
        Response me = given().header("Authorization", "Bearer " + pair.path("access").asText())
                .get(realm.realmUrl() + "/email-signup/api/v1/auth/users/me/");
        assertThat(me.statusCode()).as(me.asString()).isEqualTo(200);
        assertThat(me.as(JsonNode.class).path("email").asText()).isEqualTo("second-app@example.test");
        refused(EMAIL_SIGNUP_REFRESH, legacy, BLACKLISTED);
        refused(JWT_AUTH_REFRESH, legacy, BLACKLISTED);
        assertThat(realm.admin().userSessions(keycloakId("second-app"))).hasSize(1)
                .allSatisfy(s -> assertThat(s.path("clients").toString()).contains("email-signup"));
    }

    @Test
    @Order(4)
    void theImportedBlacklistIsHonoured() {
        openUntil(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
        for (String name : List.of("blacklisted", "rotated_old")) {
            assertThat(token(name).path("simplejwt").asText()).isEqualTo("Token is blacklisted");
            refused(JWT_AUTH_REFRESH, token(name).path("token").asText(), BLACKLISTED);
            refused(EMAIL_SIGNUP_REFRESH, token(name).path("token").asText(), BLACKLISTED);
        }
        assertThat(realm.admin().userSessions(keycloakId("blacklisted"))).isEmpty();
        // The token SimpleJWT's own refresh gave in exchange was never used: it is good once.
        refresh(JWT_AUTH_REFRESH, token("rotated_new").path("token").asText()).then().statusCode(200);
        refused(JWT_AUTH_REFRESH, token("rotated_new").path("token").asText(), BLACKLISTED);
        assertThat(realm.admin().userSessions(keycloakId("blacklisted"))).hasSize(1);
    }

    @Test
    @Order(5)
    void expiredForgedAndWrongKindTokensGetSimpleJwtsAnswers() {
        openUntil(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
        // What SimpleJWT itself answers for each (the legacy build asked it), and the realm answers the same.
        assertThat(token("access").path("simplejwt").asText()).isEqualTo("Token has wrong type");
        refused(JWT_AUTH_REFRESH, token("access").path("token").asText(), WRONG_TYPE);
        for (String name : List.of("expired", "wrong_secret", "alg_none", "hs512")) {
            assertThat(token(name).path("simplejwt").asText()).as(name).isEqualTo("Token is invalid or expired");
            refused(JWT_AUTH_REFRESH, token(name).path("token").asText(), INVALID);
            refused(EMAIL_SIGNUP_REFRESH, token(name).path("token").asText(), INVALID);
        }
        // SimpleJWT 5.2's refresh does not look at the user; Keycloak gives no tokens to a disabled or unknown one.
        refused(JWT_AUTH_REFRESH, token("inactive").path("token").asText(), INVALID);
        refused(JWT_AUTH_REFRESH, token("deleted_user").path("token").asText(), INVALID);
        refused(JWT_AUTH_REFRESH, "not.a.token", INVALID);
        assertThat(realm.admin().userSessions(keycloakId("gone-quiet"))).isEmpty();
        // A token refused for its user was not used up: enabled again, the user refreshes it.
        String quietId = keycloakId("gone-quiet");
        JsonNode quiet = realm.admin().user(quietId);
        ((com.fasterxml.jackson.databind.node.ObjectNode) quiet).put("enabled", true);
        realm.admin().updateUser(quietId, quiet);
        refresh(JWT_AUTH_REFRESH, token("inactive").path("token").asText()).then().statusCode(200);
    }

    @Test
    @Order(6)
    void pastTheEndDateOffOrWithoutTheVaultSecretEveryLegacyTokenIsUnknown() {
        String late = token("late").path("token").asText();
        openUntil(Long.toString(Instant.now().minusSeconds(60).getEpochSecond()));
        refused(JWT_AUTH_REFRESH, late, INVALID);
        openUntil(LocalDate.now(ZoneOffset.UTC).minusDays(1).toString());
        refused(JWT_AUTH_REFRESH, late, INVALID);
        openUntil("");
        refused(EMAIL_SIGNUP_REFRESH, late, INVALID);
        openUntil("soon");
        refused(JWT_AUTH_REFRESH, late, INVALID);

        // Open, but the secret as a plain value (never accepted: it would sit in the realm's attributes and exports),
        // or a vault entry that does not exist.
        openUntil(Instant.now().plusSeconds(3600).toString());
        attributes(Map.of(SECRET, SECRET_KEY));
        refused(JWT_AUTH_REFRESH, late, INVALID);
        attributes(Map.of(SECRET, "${vault.no_such_entry}"));
        refused(JWT_AUTH_REFRESH, late, INVALID);
        assertThat(realm.admin().userSessions(keycloakId("refresher"))).isEmpty();

        // None of these used the token up.
        attributes(Map.of(SECRET, "${vault." + VAULT_KEY + "}"));
        Response accepted = refresh(JWT_AUTH_REFRESH, late);
        assertThat(accepted.statusCode()).as(accepted.asString()).isEqualTo(200);
        assertThat(realm.admin().userSessions(keycloakId("refresher"))).hasSize(1);
    }
}
