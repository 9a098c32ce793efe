package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.TestRealm;
import io.github.dropin.keycloak.it.legacy.LegacyBackend;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, "signed-in users stay signed in", for DRF's authtoken keys, against a real Django database: Django's
 * {@code migrate}, users by {@code create_user}, keys by DRF's {@code Token.objects.create}, exported with
 * {@code dumpdata auth.user authtoken.token} ({@code tools/build_legacy_keys.py}) and imported through the import
 * endpoint. Only the keys' SHA-256 reaches Keycloak; an app holding an old key reads token-auth's profile and
 * users-api's user while the realm's {@code dropin.legacyTokens.until} is open; the key's first use makes a Keycloak
 * session that the administrator sees and ends, which kills the key; unknown, wrong and inactive users' keys, the
 * setting off and the end date past all get DRF's 401s.
 */
@KeycloakRealm("realms/legacy-import.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LegacyKeysIT {

    static final String UNTIL = "dropin.legacyTokens.until";
    static final String INVALID = "{\"detail\":\"Invalid token.\"}";
    static final String INACTIVE = "{\"detail\":\"User inactive or deleted.\"}";

    static Path dir;
    static JsonNode manifest;
    static JsonNode firstImport;

    final TestRealm realm;

    LegacyKeysIT(TestRealm realm) {
        this.realm = realm;
    }

    @BeforeAll
    static void buildAndImport(TestRealm realm) {
        dir = Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run")).resolve("legacy-keys")
                .toAbsolutePath();
        manifest = LegacyBackend.buildLegacyKeys(dir, Optional.empty());
        realm.admin().updateRealmAttributes(Map.of("dropin.token-auth.legacyIds", "true",
                "dropin.users-api.legacyIds", "true"));
        firstImport = importFile(realm, "keys.json");
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

    static JsonNode legacy(String username) {
        return StreamSupport.stream(manifest.path("users").spliterator(), false)
                .filter(u -> u.path("username").asText().equals(username)).findFirst().orElseThrow();
    }

    static String key(String username) {
        return legacy(username).path("key").asText();
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String keycloakId(String username) {
        return realm.admin().userByUsername(username).orElseThrow().path("id").asText();
    }

    Response profile(String authorization) {
        return given().header("Authorization", authorization).get(realm.realmUrl() + "/token-auth/api/profile/");
    }

    Response usersApi(String authorization, long id) {
        return given().header("Authorization", authorization).get(realm.realmUrl() + "/users-api/api/v1/users/" + id + "/");
    }

    void refused(String key, String body) {
        Response profile = profile("Token " + key);
        assertThat(profile.statusCode()).isEqualTo(401);
        assertThat(profile.asString()).isEqualTo(body);
        assertThat(profile.header("WWW-Authenticate")).isEqualTo("Token");
        Response user = usersApi("Token " + key, 1);
        assertThat(user.statusCode()).isEqualTo(401);
        assertThat(user.asString()).isEqualTo(body);
    }

    void openUntil(String value) {
        realm.admin().updateRealmAttributes(Map.of(UNTIL, value));
    }

    @Test
    @Order(0)
    void theImportStoresOnlyEachKeysHash() {
        List<JsonNode> users = StreamSupport.stream(manifest.path("users").spliterator(), false).toList();
        long withKeys = users.stream().filter(u -> !u.path("key").isNull()).count();
        assertThat(withKeys).isEqualTo(5);
        assertThat(firstImport.path("created").asInt()).isEqualTo(users.size());
        assertThat(firstImport.path("tokens").asInt()).isEqualTo(withKeys);
        assertThat(firstImport.path("refused").asInt()).isZero();
        assertThat(firstImport.path("skipped").asInt()).isZero();
        assertThat(firstImport.path("rows").asInt()).isEqualTo(users.size() + withKeys);

        for (JsonNode user : users) {
            String id = keycloakId(user.path("username").asText());
            // The key itself is nowhere: not in the user, not in its attributes.
            if (!user.path("key").isNull()) {
                assertThat(realm.admin().usersByAttribute("legacyTokenHash", sha256(user.path("key").asText())))
                        .extracting(u -> u.path("id").asText()).containsExactly(id);
                assertThat(realm.admin().user(id).toString()).doesNotContain(user.path("key").asText());
                assertThat(firstImport.toString()).doesNotContain(user.path("key").asText());
                // What an administrator sees (this realm shows unmanaged attributes) is the hash.
                assertThat(realm.admin().user(id).path("attributes").path("legacyTokenHash").toString())
                        .isEqualTo("[\"" + sha256(user.path("key").asText()) + "\"]");
            }
        }

        // Idempotent, and the same keys named by natural key (dumpdata --natural-foreign) are the same keys.
        JsonNode again = importFile(realm, "keys.json");
        assertThat(again.path("updated").asInt()).isEqualTo(users.size());
        assertThat(again.path("tokens").asInt()).isZero();
        assertThat(again.path("tokensUnchanged").asInt()).isEqualTo(withKeys);
        JsonNode natural = importFile(realm, "keys_natural.json");
        assertThat(natural.path("tokensUnchanged").asInt()).isEqualTo(withKeys);
        assertThat(natural.path("refused").asInt()).isZero();
    }

    @Test
    @Order(1)
    void offByDefault() {
        assertThat(realm.admin().realm().path("attributes").path(UNTIL).isMissingNode()).isTrue();
        refused(key("kept-signed-in"), INVALID);
        assertThat(realm.admin().userSessions(keycloakId("kept-signed-in"))).isEmpty();
    }

    @Test
    @Order(2)
    void anAppHoldingAnOldKeyStaysSignedInUntilTheSessionIsEnded() {
        openUntil(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
        JsonNode legacy = legacy("kept-signed-in");
        long pk = legacy.path("pk").asLong();
        String id = keycloakId("kept-signed-in");

        Response profile = profile("Token " + legacy.path("key").asText());
        assertThat(profile.statusCode()).as(profile.asString()).isEqualTo(200);
        JsonNode me = profile.as(JsonNode.class);
        assertThat(me.path("id").asLong()).isEqualTo(pk);
        assertThat(me.path("username").asText()).isEqualTo("kept-signed-in");
        assertThat(me.path("email").asText()).isEqualTo("kept@example.test");

        // The first use made one Keycloak session; later uses, through either dialect, stand for that same session.
        List<JsonNode> sessions = realm.admin().userSessions(id);
        assertThat(sessions).hasSize(1);
        String sessionId = sessions.get(0).path("id").asText();
        assertThat(sessions.get(0).path("clients").toString()).contains("token-auth");
        Response user = usersApi("Token " + legacy.path("key").asText(), pk);
        assertThat(user.statusCode()).as(user.asString()).isEqualTo(200);
        assertThat(user.as(JsonNode.class).path("id").asLong()).isEqualTo(pk);
        assertThat(user.as(JsonNode.class).path("username").asText()).isEqualTo("kept-signed-in");
        // users-api's seed also takes the key as "Bearer <key>".
        usersApi("Bearer " + legacy.path("key").asText(), pk).then().statusCode(200);
        profile("Token " + legacy.path("key").asText()).then().statusCode(200);
        assertThat(realm.admin().userSessions(id)).extracting(s -> s.path("id").asText()).containsExactly(sessionId);
        assertThat(realm.admin().events("LOGIN")).anySatisfy(e -> {
            assertThat(e.path("userId").asText()).isEqualTo(id);
            assertThat(e.path("sessionId").asText()).isEqualTo(sessionId);
            assertThat(e.path("details").path("auth_method").asText()).isEqualTo("legacy-drf-token");
        });

        // The administrator ends the session: the key is dead, and stays dead (it is not bound again).
        realm.admin().request().delete("/sessions/{id}", sessionId).then().statusCode(204);
        refused(legacy.path("key").asText(), INVALID);
        assertThat(realm.admin().userSessions(id)).isEmpty();
        // Even where the user shows no binding (a node's user cache that has not seen it yet, here an administrator
        // who removed the attribute), the key is not bound again: the binding is recorded in the database.
        com.fasterxml.jackson.databind.node.ObjectNode edited = (com.fasterxml.jackson.databind.node.ObjectNode) realm.admin().user(id);
        ((com.fasterxml.jackson.databind.node.ObjectNode) edited.path("attributes")).remove("legacyTokenSession");
        realm.admin().updateUser(id, edited);
        assertThat(realm.admin().user(id).path("attributes").has("legacyTokenSession")).isFalse();
        refused(legacy.path("key").asText(), INVALID);
        assertThat(realm.admin().userSessions(id)).isEmpty();

        // "Sign out" of the user in the admin console does the same to another user's key.
        String second = key("second-device");
        profile("Token " + second).then().statusCode(200);
        assertThat(realm.admin().userSessions(keycloakId("second-device"))).hasSize(1);
        realm.admin().logoutUser(keycloakId("second-device"));
        refused(second, INVALID);

        // The dialect's own keys work as before beside the legacy ones.
        String own = ImportedUsers.signIn(realm, "token-auth", "kept-signed-in", "kept@example.test",
                legacy.path("password").asText()).then().statusCode(200).extract().path("token");
        profile("Token " + own).then().statusCode(200);
    }

    @Test
    @Order(3)
    void unknownWrongAndInactiveKeysGetDrfsAnswers() {
        openUntil(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
        String never = key("never-used");
        refused("0123456789abcdef0123456789abcdef01234567", INVALID);
        refused(never.substring(0, 39) + (never.endsWith("0") ? "1" : "0"), INVALID);
        refused(never.toUpperCase(), INVALID);
        refused("a".repeat(300), INVALID);
        // DRF itself refuses this inactive user's key with these words (the legacy build checked it).
        JsonNode quiet = legacy("gone-quiet");
        assertThat(quiet.path("drf_refusal").asText()).isEqualTo("User inactive or deleted.");
        refused(quiet.path("key").asText(), INACTIVE);
        assertThat(realm.admin().userSessions(keycloakId("gone-quiet"))).isEmpty();
        assertThat(realm.admin().userSessions(keycloakId("never-used"))).isEmpty();
    }

    @Test
    @Order(4)
    void pastTheEndDateOrWithTheSettingOffEveryLegacyKeyIsUnknown() {
        String late = key("late-comer");
        String never = key("never-used");
        openUntil(Instant.now().plusSeconds(3600).toString());
        profile("Token " + late).then().statusCode(200);
        assertThat(realm.admin().userSessions(keycloakId("late-comer"))).hasSize(1);

        // An administrator editing the user in the console (the whole representation, attributes included) leaves
        // the key alone.
        String lateId = keycloakId("late-comer");
        JsonNode representation = realm.admin().user(lateId);
        ((com.fasterxml.jackson.databind.node.ObjectNode) representation).put("firstName", "Late");
        realm.admin().updateUser(lateId, representation);
        profile("Token " + late).then().statusCode(200);

        // An end date in the past (epoch seconds): a bound key and a key never used are both unknown keys now.
        openUntil(Long.toString(Instant.now().minusSeconds(60).getEpochSecond()));
        refused(late, INVALID);
        refused(never, INVALID);
        // Yesterday (an ISO date counts to its end): past too.
        openUntil(LocalDate.now(ZoneOffset.UTC).minusDays(1).toString());
        refused(late, INVALID);
        // Unreadable or empty: off.
        openUntil("soon");
        refused(late, INVALID);
        openUntil("");
        refused(late, INVALID);
        assertThat(realm.admin().userSessions(keycloakId("never-used"))).isEmpty();

        // Opened again, the bound key's session is still alive and the key stands for it.
        openUntil(Instant.now().plusSeconds(3600).toString());
        profile("Token " + late).then().statusCode(200);
        assertThat(realm.admin().userSessions(keycloakId("late-comer"))).hasSize(1);
    }

    @Test
    @Order(5)
    void aLogoutWithTheKeyEndsItsSessionAndAKeyRegeneratedBeforeTheMoveReplacesTheOldOne() throws IOException {
        openUntil(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
        String never = key("never-used");
        profile("Token " + never).then().statusCode(200);
        given().header("Authorization", "Token " + never).post(realm.realmUrl() + "/token-auth/api/logout/")
                .then().statusCode(200);
        refused(never, INVALID);
        assertThat(realm.admin().userSessions(keycloakId("never-used"))).isEmpty();

        // late-comer's key was regenerated in the legacy app (DRF: delete and create) before the final import.
        String late = key("late-comer");
        profile("Token " + late).then().statusCode(200);
        String fresh = "feedc0de".repeat(5);
        Path regenerated = dir.resolve("keys_regenerated.json");
        Files.writeString(regenerated, Files.readString(dir.resolve("keys.json")).replace(late, fresh));
        JsonNode report = importFile(realm, regenerated.getFileName().toString());
        assertThat(report.path("tokens").asInt()).isEqualTo(1);
        assertThat(report.path("tokensUnchanged").asInt()).isEqualTo(4);
        refused(late, INVALID);
        Response profile = profile("Token " + fresh);
        assertThat(profile.statusCode()).as(profile.asString()).isEqualTo(200);
        assertThat(profile.as(JsonNode.class).path("username").asText()).isEqualTo("late-comer");
        // The new key has a session of its own, beside the old key's (which the administrator may end).
        assertThat(realm.admin().userSessions(keycloakId("late-comer"))).hasSize(2);

        // A token of a user the realm does not have is refused with the reason.
        JsonNode orphan = realm.admin().request().contentType("application/json").body("[{\"model\": \"authtoken.token\", "
                + "\"pk\": \"" + "0badc0de".repeat(5) + "\", \"fields\": {\"user\": 999, \"created\": \"2024-01-01T00:00:00Z\"}}]")
                .post("/dropin-import/users").then().statusCode(200).extract().as(JsonNode.class);
        assertThat(orphan.path("refused").asInt()).isEqualTo(1);
        assertThat(orphan.path("refusals").get(0).path("legacyId").asText()).isEqualTo("999");
        assertThat(orphan.path("refusals").get(0).path("reason").asText()).isEqualTo("token of a user that was not "
                + "imported (import the users first: dumpdata auth.user authtoken.token writes them in that order)");
        assertThat(orphan.toString()).doesNotContain("0badc0de");
    }
}
