package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakLine;
import io.github.dropin.keycloak.it.Jwts;
import io.github.dropin.keycloak.it.KeycloakRealm;
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
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §5 end to end, for a Django project on Django's own user model (the users-api and jwt-auth legacy systems): the
 * legacy builder makes users under every Django hasher (short, long and non-ASCII passwords), groups, staff and a
 * superuser with the framework's own code and exports them with {@code dumpdata}; {@code tools/dropin-import.py}
 * imports the export (a dry run first, then twice: idempotent); then every user signs in through every password
 * dialect with the old password, Keycloak re-hashes each legacy hash to the realm's policy at the first sign-in, the
 * dialects answer the legacy ids where their setting is on, and the tokens carry the claims of the tokens the real
 * SimpleJWT issues for the same user.
 */
@KeycloakRealm("realms/legacy-import.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DjangoImportIT {

    static final List<String> HASHERS = List.of("pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "bcrypt");
    static final List<String> DIALECTS = List.of("token-auth", "users-api", "jwt-auth", "email-signup");

    static LegacyExports.Run dryRun;
    static LegacyExports.Run first;
    static LegacyExports.Run second;
    static List<JsonNode> firstReport;
    static int records;
    static int users;

    final TestRealm realm;

    DjangoImportIT(TestRealm realm) {
        this.realm = realm;
    }

    @BeforeAll
    static void importTheDump(TestRealm realm) {
        Path dump = LegacyExports.file("auth_user.json");
        users = LegacyExports.users("auth_user").size();
        records = LegacyExports.readJson(dump).size();
        assertThat(records).isEqualTo(users + 2);

        dryRun = LegacyExports.importTool(realm, "--dry-run", "--email-verified", "true", dump.toString());
        Path report = LegacyExports.dir().resolve("auth_user-report.jsonl");
        first = LegacyExports.importTool(realm, "--email-verified", "true", "--report", report.toString(), dump.toString());
        firstReport = LegacyExports.readJsonLines(report);
        second = LegacyExports.importTool(realm, "--email-verified", "true", "--without-password", dump.toString());
    }

    @Test
    @Order(0)
    void aDryRunWritesNothingAndAnImportIsIdempotentByLegacyId() {
        assertThat(dryRun.exit()).isEqualTo(2);
        assertThat(dryRun.summary().path("dryRun").asBoolean()).isTrue();
        assertThat(dryRun.summary().path("created").asInt()).isEqualTo(users - 2);
        assertThat(dryRun.summary().path("refused").asInt()).isEqualTo(2);

        assertThat(first.exit()).isEqualTo(2);
        JsonNode summary = first.summary();
        assertThat(summary.path("rows").asInt()).isEqualTo(records);
        assertThat(summary.path("created").asInt()).isEqualTo(users - 2);
        assertThat(summary.path("updated").asInt()).isZero();
        assertThat(summary.path("refused").asInt()).isEqualTo(2);
        assertThat(summary.path("groupsCreated").asInt()).isEqualTo(2);
        assertThat(summary.path("rolesCreated")).extracting(JsonNode::asText).containsExactly("staff", "superuser");
        // The highest primary key among the users imported (the two refused rows are the dump's last).
        assertThat(summary.path("highestLegacyId").asLong()).isEqualTo(maxPk() - 2);

        // Refused row by row, with the reason; --without-password brings them without a password.
        assertThat(firstReport).hasSize(2).allSatisfy(r -> assertThat(r.path("kind").asText()).isEqualTo("refused"));
        assertThat(entry(firstReport, "unusable-password").path("reason").asText()).isEqualTo("password not carried "
                + "over: unusable password (Django's set_unusable_password: the user has no password) (withoutPassword=true "
                + "imports the user without one)");
        assertThat(entry(firstReport, "md5-hash").path("reason").asText())
                .startsWith("password not carried over: unsupported password hasher 'md5'");
        assertThat(entry(firstReport, "md5-hash").path("legacyId").asLong())
                .isEqualTo(LegacyExports.user("auth_user", "md5-hash").path("pk").asLong());

        assertThat(second.exit()).isZero();
        assertThat(second.summary().path("created").asInt()).isEqualTo(2);
        assertThat(second.summary().path("updated").asInt()).isEqualTo(users - 2);
        assertThat(second.summary().path("withoutPassword").asInt()).isEqualTo(2);
        assertThat(second.summary().path("groupsUpdated").asInt()).isEqualTo(2);
        assertThat(realm.admin().countUsers()).isEqualTo(users);
        assertThat(realm.admin().credentials(keycloakId("md5-hash"))).isEmpty();
        assertThat(realm.admin().credentials(keycloakId("pbkdf2-sha256-short"))).hasSize(1);
    }

    @Test
    @Order(1)
    void keycloakRehashesEveryLegacyHashToTheRealmPolicyAtTheFirstSignIn() {
        Map<String, String> imported = Map.of("pbkdf2_sha256", "pbkdf2-sha256", "pbkdf2_sha1", "pbkdf2",
                "argon2", "argon2", "bcrypt_sha256", "dropin-bcrypt-sha256", "bcrypt", "dropin-bcrypt");
        for (String hasher : HASHERS) {
            JsonNode user = LegacyExports.user("auth_user", hasher.replace('_', '-') + "-short");
            String id = keycloakId(user.path("username").asText());
            JsonNode before = credentialData(id);
            assertThat(before.path("algorithm").asText()).as(hasher).isEqualTo(imported.get(hasher));
            if (hasher.equals("argon2")) {
                // Django's argon2 parameters, not Keycloak's.
                assertThat(before.path("additionalParameters").path("memory").get(0).asText()).isEqualTo("102400");
            }
            signIn("jwt-auth", user).then().statusCode(200);
            JsonNode after = awaitCredential(id, data -> data.path("algorithm").asText().equals("argon2")
                    && data.path("additionalParameters").path("memory").get(0).asText().equals("7168"));
            assertThat(after.path("additionalParameters").path("version").get(0).asText()).isEqualTo("1.3");
            // The re-hashed password still is the old password.
            signIn("users-api", user).then().statusCode(200);
        }
    }

    @Test
    @Order(2)
    void everyUserSignsInThroughEveryPasswordDialectWithTheOldPassword() {
        for (JsonNode user : LegacyExports.users("auth_user")) {
            String username = user.path("username").asText();
            boolean hasPassword = !user.path("hasher").isNull() && !user.path("hasher").asText().equals("md5");
            boolean active = user.path("fields").path("is_active").asBoolean(true);
            boolean hasEmail = !user.path("fields").path("email").asText("").isEmpty();
            for (String dialect : DIALECTS) {
                if (dialect.equals("email-signup") && !hasEmail) {
                    continue;
                }
                Response response = signIn(dialect, user);
                if (!hasPassword || !active) {
                    // Each dialect's "bad credentials": DRF's 400s, SimpleJWT's 401s.
                    assertThat(response.statusCode()).as("%s through %s", username, dialect)
                            .isEqualTo(dialect.equals("jwt-auth") || dialect.equals("email-signup") ? 401 : 400);
                } else if (dialect.equals("token-auth") && !hasEmail) {
                    // token-auth signs in accounts with a verified channel only, as the legacy backend did.
                    assertThat(response.statusCode()).isEqualTo(400);
                    assertThat(response.asString()).isEqualTo(ImportedUsers.NOT_VERIFIED);
                } else {
                    assertThat(response.statusCode()).as("%s through %s: %s", username, dialect, response.asString())
                            .isEqualTo(200);
                }
            }
        }
        // And a wrong password is wrong.
        JsonNode someone = LegacyExports.user("auth_user", "bcrypt-long");
        given().contentType(ContentType.JSON).body(Map.of("username", "bcrypt-long",
                        "password", someone.path("password").asText() + "!"))
                .post(realm.realmUrl() + "/jwt-auth/auth/token").then().statusCode(401);
    }

    @Test
    @Order(3)
    void profilesGroupsAndRolesComeAlong() {
        Map<Long, JsonNode> dumped = new HashMap<>();
        Map<Long, String> groupNames = new HashMap<>();
        for (JsonNode object : LegacyExports.readJson(LegacyExports.file("auth_user.json"))) {
            if (object.path("model").asText().equals("auth.user")) {
                dumped.put(object.path("pk").asLong(), object.path("fields"));
            } else {
                groupNames.put(object.path("pk").asLong(), object.path("fields").path("name").asText());
            }
        }
        for (JsonNode legacy : LegacyExports.users("auth_user")) {
            JsonNode fields = dumped.get(legacy.path("pk").asLong());
            JsonNode user = realm.admin().userByUsername(legacy.path("username").asText()).orElseThrow();
            assertThat(user.path("attributes").path("legacyId").get(0).asText()).isEqualTo(legacy.path("pk").asText());
            assertThat(user.path("enabled").asBoolean()).isEqualTo(fields.path("is_active").asBoolean());
            assertThat(user.path("email").asText("")).isEqualTo(fields.path("email").asText());
            assertThat(user.path("emailVerified").asBoolean()).isEqualTo(!fields.path("email").asText().isEmpty());
            assertThat(user.path("firstName").asText("")).isEqualTo(fields.path("first_name").asText());
            assertThat(user.path("lastName").asText("")).isEqualTo(fields.path("last_name").asText());
            assertThat(user.path("createdTimestamp").asLong())
                    .isEqualTo(Instant.parse(fields.path("date_joined").asText()).toEpochMilli());
            List<String> groups = new ArrayList<>();
            realm.admin().request().get("/users/{id}/groups", user.path("id").asText()).then().statusCode(200)
                    .extract().jsonPath().getList("name", String.class).forEach(groups::add);
            assertThat(groups).as(legacy.path("username").asText())
                    .containsExactlyInAnyOrderElementsOf(names(fields.path("groups"), groupNames));
            List<String> roles = realm.admin().request().get("/users/{id}/role-mappings/realm", user.path("id").asText())
                    .then().statusCode(200).extract().jsonPath().getList("name", String.class);
            assertThat(roles.contains("staff")).isEqualTo(fields.path("is_staff").asBoolean());
            assertThat(roles.contains("superuser")).isEqualTo(fields.path("is_superuser").asBoolean());
        }
        assertThat(realm.admin().userByUsername("zoë.ünicode").orElseThrow().path("firstName").asText()).isEqualTo("Zoë");
        // Groups keep their legacy primary key too.
        for (Map.Entry<Long, String> group : groupNames.entrySet()) {
            JsonNode found = realm.admin().request().queryParam("search", group.getValue()).queryParam("briefRepresentation", false)
                    .get("/groups").then().statusCode(200).extract().as(JsonNode.class).get(0);
            assertThat(found.path("attributes").path("legacyId").get(0).asText()).isEqualTo(group.getKey().toString());
        }
    }

    @Test
    @Order(4)
    void dialectsAnswerTheLegacyIdsWhereTheSettingIsOn() {
        JsonNode legacy = LegacyExports.user("auth_user", "pbkdf2-sha1-long");
        long pk = legacy.path("pk").asLong();
        String keycloakId = keycloakId("pbkdf2-sha1-long");
        legacyIds(true);
        try {
            String key = signIn("users-api", legacy).then().statusCode(200).extract().path("token");
            JsonNode me = usersApi(key, Long.toString(pk)).then().statusCode(200).extract().as(JsonNode.class);
            assertThat(me.path("id").isIntegralNumber()).isTrue();
            assertThat(me.path("id").asLong()).isEqualTo(pk);
            usersApi(key, keycloakId).then().statusCode(404);

            String access = signIn("email-signup", legacy).then().statusCode(200).extract().path("access");
            JsonNode djoser = given().header("Authorization", "Bearer " + access)
                    .get(realm.realmUrl() + "/email-signup/api/v1/auth/users/me/").then().statusCode(200).extract().as(JsonNode.class);
            assertThat(djoser.path("id").asLong()).isEqualTo(pk);
            given().header("Authorization", "Bearer " + access)
                    .get(realm.realmUrl() + "/email-signup/api/v1/auth/users/" + pk + "/").then().statusCode(200);

            String token = signIn("token-auth", legacy).then().statusCode(200).extract().path("token");
            assertThat(given().header("Authorization", "Token " + token).get(realm.realmUrl() + "/token-auth/api/profile/")
                    .then().statusCode(200).extract().as(JsonNode.class).path("id").asLong()).isEqualTo(pk);

            JsonNode claims = Jwts.verifiedPayload(realm, signIn("jwt-auth", legacy).then().statusCode(200)
                    .extract().path("access"));
            assertThat(claims.path("user_id").isIntegralNumber()).isTrue();
            assertThat(claims.path("user_id").asLong()).isEqualTo(pk);

            // New users get the next integers.
            long next = maxPk() + 1;
            for (int i = 0; i < 2; i++) {
                JsonNode created = given().contentType(ContentType.JSON)
                        .body(Map.of("username", "new-user-" + i, "password", "Correct-Horse-9", "email", "new" + i + "@example.test"))
                        .post(realm.realmUrl() + "/users-api/api/v1/users/").then().statusCode(201).extract().as(JsonNode.class);
                assertThat(created.path("id").asLong()).isEqualTo(next + i);
                assertThat(realm.admin().userByUsername("new-user-" + i).orElseThrow().path("attributes").path("legacyId")
                        .get(0).asText()).isEqualTo(Long.toString(next + i));
            }
        } finally {
            legacyIds(false);
        }
        String key = signIn("users-api", legacy).then().statusCode(200).extract().path("token");
        assertThat(usersApi(key, keycloakId).then().statusCode(200).extract().path("id").toString()).isEqualTo(keycloakId);
        usersApi(key, Long.toString(pk)).then().statusCode(404);
        assertThat(Jwts.verifiedPayload(realm, signIn("jwt-auth", legacy).then().statusCode(200).extract().path("access"))
                .path("user_id").asText()).isEqualTo(keycloakId);
    }

    @Test
    @Order(5)
    void tokensCarryTheClaimsOfTheTokensSimpleJwtIssues() throws IOException {
        JsonNode legacy = LegacyExports.user("auth_user", "argon2-nonascii");
        long pk = legacy.path("pk").asLong();
        LegacyBackend.TokenPair simpleJwt;
        try (LegacyBackend reference = LegacyBackend.start("users-api",
                LegacyExports.manifest().path("auth_user").path("database").asText())) {
            simpleJwt = reference.simpleJwt(legacy.path("username").asText());
        }
        JsonNode theirs = Jwts.payload(simpleJwt.access());
        JsonNode theirRefresh = Jwts.payload(simpleJwt.refresh());
        assertThat(theirs.path("token_type").asText()).isEqualTo("access");
        assertThat(theirs.path("user_id").asLong()).isEqualTo(pk);

        legacyIds(true);
        try {
            for (String dialect : List.of("jwt-auth", "email-signup")) {
                Response pair = signIn(dialect, legacy).then().statusCode(200).extract().response();
                assertSameClaims(Jwts.verifiedPayload(realm, pair.path("access")), theirs);
                assertSameClaims(Jwts.payload(pair.path("refresh")), theirRefresh);

                // Keycloak's own token endpoint issues them too (refresh_token grant of the dialect's client).
                JsonNode refreshed = given().formParams(Map.of("grant_type", "refresh_token", "client_id", dialect,
                                "refresh_token", pair.path("refresh")))
                        .post(realm.realmUrl() + "/protocol/openid-connect/token").then().statusCode(200)
                        .extract().as(JsonNode.class);
                assertSameClaims(Jwts.verifiedPayload(realm, refreshed.path("access_token").asText()), theirs);
                if (KeycloakLine.refreshTokenProviders()) {
                    assertSameClaims(Jwts.payload(refreshed.path("refresh_token").asText()), theirRefresh);
                }
            }
        } finally {
            legacyIds(false);
        }
    }

    @Test
    @Order(6)
    void everyUserGetsTheLegacyIdAndSimpleJwtsClaimsBackFromEveryDialect() throws IOException {
        List<JsonNode> signable = LegacyExports.users("auth_user").stream()
                .filter(u -> !u.path("hasher").isNull() && !u.path("hasher").asText().equals("md5"))
                .filter(u -> u.path("fields").path("is_active").asBoolean(true))
                .toList();
        assertThat(signable).hasSizeGreaterThanOrEqualTo(HASHERS.size() * 3);
        // The tokens the real SimpleJWT issues for each of them, in one run of the legacy project.
        Map<String, LegacyBackend.TokenPair> simpleJwt = new HashMap<>();
        try (LegacyBackend reference = LegacyBackend.start("users-api",
                LegacyExports.manifest().path("auth_user").path("database").asText())) {
            String usernames = LegacyExports.JSON.valueToTree(signable.stream().map(u -> u.path("username").asText())
                    .toList()).toString();
            String out = reference.python("import json\n"
                    + "from django.contrib.auth import get_user_model\n"
                    + "from rest_framework_simplejwt.tokens import RefreshToken\n"
                    + "for name in json.loads(" + LegacyExports.JSON.valueToTree(usernames) + "):\n"
                    + "    refresh = RefreshToken.for_user(get_user_model().objects.get(username=name))\n"
                    + "    print(json.dumps({'username': name, 'refresh': str(refresh), 'access': str(refresh.access_token)}))\n");
            for (String line : out.split("\n")) {
                if (line.startsWith("{")) {
                    JsonNode pair = LegacyExports.JSON.readTree(line);
                    simpleJwt.put(pair.path("username").asText(),
                            new LegacyBackend.TokenPair(pair.path("access").asText(), pair.path("refresh").asText()));
                }
            }
        }
        assertThat(simpleJwt).hasSize(signable.size());

        legacyIds(true);
        try {
            for (JsonNode legacy : signable) {
                String username = legacy.path("username").asText();
                long pk = legacy.path("pk").asLong();
                boolean hasEmail = !legacy.path("fields").path("email").asText("").isEmpty();
                JsonNode theirAccess = Jwts.payload(simpleJwt.get(username).access());
                JsonNode theirRefresh = Jwts.payload(simpleJwt.get(username).refresh());
                assertThat(theirAccess.path("user_id").asLong()).as(username).isEqualTo(pk);

                // users-api: the user's own record under its legacy id.
                String key = signIn("users-api", legacy).then().statusCode(200).extract().path("token");
                JsonNode record = usersApi(key, Long.toString(pk)).then().statusCode(200).extract().as(JsonNode.class);
                assertThat(record.path("id").isIntegralNumber()).as(username).isTrue();
                assertThat(record.path("id").asLong()).as(username).isEqualTo(pk);

                // token-auth (accounts with a verified channel: here, those with an email).
                if (hasEmail) {
                    String token = signIn("token-auth", legacy).then().statusCode(200).extract().path("token");
                    JsonNode profile = given().header("Authorization", "Token " + token)
                            .get(realm.realmUrl() + "/token-auth/api/profile/").then().statusCode(200)
                            .extract().as(JsonNode.class);
                    assertThat(profile.path("id").isIntegralNumber()).as(username).isTrue();
                    assertThat(profile.path("id").asLong()).as(username).isEqualTo(pk);
                }

                // jwt-auth and email-signup: SimpleJWT's claims, with the same values of token_type and user_id.
                for (String dialect : List.of("jwt-auth", "email-signup")) {
                    if (dialect.equals("email-signup") && !hasEmail) {
                        continue;
                    }
                    Response pair = signIn(dialect, legacy).then().statusCode(200).extract().response();
                    assertSameClaims(Jwts.verifiedPayload(realm, pair.path("access")), theirAccess);
                    assertSameClaims(Jwts.payload(pair.path("refresh")), theirRefresh);
                    if (dialect.equals("email-signup")) {
                        JsonNode me = given().header("Authorization", "Bearer " + pair.path("access"))
                                .get(realm.realmUrl() + "/email-signup/api/v1/auth/users/me/").then().statusCode(200)
                                .extract().as(JsonNode.class);
                        assertThat(me.path("id").isIntegralNumber()).as(username).isTrue();
                        assertThat(me.path("id").asLong()).as(username).isEqualTo(pk);
                    }
                }
            }
        } finally {
            legacyIds(false);
        }
    }

    /** Every claim of SimpleJWT's token is in ours, of the same JSON type; token_type and user_id have its values. */
    static void assertSameClaims(JsonNode ours, JsonNode theirs) {
        for (Iterator<String> names = theirs.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertThat(ours.has(name)).as("claim %s in %s", name, ours).isTrue();
            assertThat(ours.get(name).getNodeType()).as(name).isEqualTo(theirs.get(name).getNodeType());
        }
        assertThat(ours.path("token_type")).isEqualTo(theirs.path("token_type"));
        assertThat(ours.path("user_id")).isEqualTo(theirs.path("user_id"));
    }

    Response signIn(String dialect, JsonNode user) {
        return ImportedUsers.signIn(realm, dialect, user.path("username").asText(),
                user.path("fields").path("email").asText(""), user.path("password").asText("no password"));
    }

    Response usersApi(String key, String id) {
        return given().header("Authorization", "Token " + key).get(realm.realmUrl() + "/users-api/api/v1/users/" + id + "/");
    }

    void legacyIds(boolean on) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String dialect : DIALECTS) {
            attributes.put("dropin." + dialect + ".legacyIds", Boolean.toString(on));
        }
        realm.admin().updateRealmAttributes(attributes);
    }

    String keycloakId(String username) {
        return realm.admin().userByUsername(username).orElseThrow().path("id").asText();
    }

    JsonNode credentialData(String userId) {
        return ImportedUsers.credentialData(realm, userId);
    }

    JsonNode awaitCredential(String userId, java.util.function.Predicate<JsonNode> done) {
        return ImportedUsers.awaitCredential(realm, userId, done);
    }

    static long maxPk() {
        return LegacyExports.users("auth_user").stream().mapToLong(u -> u.path("pk").asLong()).max().orElseThrow();
    }

    static JsonNode entry(List<JsonNode> report, String username) {
        return report.stream().filter(e -> e.path("username").asText().equals(username)).findFirst()
                .orElseThrow(() -> new AssertionError("no entry for " + username + " in " + report));
    }

    static List<String> names(JsonNode pks, Map<Long, String> groupNames) {
        List<String> names = new ArrayList<>();
        pks.forEach(pk -> names.add(groupNames.get(pk.asLong())));
        return names;
    }
}
