package io.github.dropin.keycloak.it.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.PostgresServer;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The legacy test environment itself, without Keycloak: the database builder of the import tests
 * ({@link LegacyBackend#buildLegacyDatabase}) on SQLite and on a throw-away PostgreSQL, and a reference backend running
 * on PostgreSQL. What the builder exports is what Django's {@code dumpdata} wrote, with every hash made by the
 * framework that owns its format.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegacyDatabaseIT {

    private static final Set<String> DJANGO_HASHERS = Set.of("pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256",
            "bcrypt");

    private PostgresServer postgres;

    @BeforeAll
    void startPostgres() {
        Path run = Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run")).toAbsolutePath();
        postgres = PostgresServer.start(run.resolve("postgres"), run.resolve("postgres.log"));
    }

    @AfterAll
    void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private String dsn(String database) {
        return "postgresql://" + PostgresServer.USER + "@127.0.0.1:" + postgres.port() + "/" + database;
    }

    @Test
    void buildsAndExportsOnSqlite() throws IOException {
        Path out = runDir().resolve("legacy-db-sqlite");
        JsonNode manifest = LegacyBackend.buildLegacyDatabase(out, Optional.empty());
        checkExports(out, manifest);
        assertThat(manifest.path("auth_user").path("database").asText()).endsWith(".sqlite3");
    }

    @Test
    void buildsAndExportsOnPostgres() throws IOException {
        Path out = runDir().resolve("legacy-db-postgres");
        JsonNode manifest = LegacyBackend.buildLegacyDatabase(out, Optional.of(dsn(PostgresServer.DATABASE)));
        checkExports(out, manifest);
        assertThat(manifest.path("auth_user").path("database").asText()).isEqualTo(dsn("legacy_auth_user"));
        assertThat(manifest.path("custom_user").path("database").asText()).isEqualTo(dsn("legacy_custom_user"));
    }

    @Test
    void aReferenceBackendRunsOnPostgres() {
        String database = "reference_token_auth";
        LegacyBackend.requireFrameworks();
        try (LegacyBackend backend = LegacyBackend.start("token-auth", createDatabase(database))) {
            String base = backend.baseUrl();
            given().contentType(ContentType.JSON)
                    .body(Map.of("username", "pg-user", "password", "correct horse 42", "phone_number", "+4915112347001",
                            "email", ""))
                    .post(base + "/api/register/").then().statusCode(200);
            LegacyBackend.Message sms = backend.lastMessageTo("+4915112347001", 0).orElseThrow();
            assertThat(sms.code()).matches("\\d{5}");
            given().contentType(ContentType.JSON).body(Map.of("code", sms.code()))
                    .post(base + "/api/verify-user/").then().statusCode(200);
            String key = given().contentType(ContentType.JSON)
                    .body(Map.of("username", "pg-user", "password", "correct horse 42"))
                    .post(base + "/api/login/").then().statusCode(200).extract().path("token");
            assertThat(key).isEqualTo(backend.drfToken("pg-user"));
            given().header("Authorization", "Token " + key).get(base + "/api/profile/").then().statusCode(200)
                    .body("username", equalTo("pg-user")).body("is_phone_verified", equalTo(true));
            JsonNode dump = backend.dumpdata("tokenauth.user");
            assertThat(dump).hasSize(1);
            assertThat(dump.get(0).path("fields").path("password").asText()).startsWith("pbkdf2_sha256$");
        }
    }

    /** A new, empty database on the throw-away server. */
    private String createDatabase(String name) {
        return LegacyBackend.createPostgresDatabase(dsn(PostgresServer.DATABASE), name);
    }

    @Test
    void everyOtherBackendMigratesAndServesOnPostgres() {
        Map<String, String[]> firstRequest = Map.of(
                "phone-otp", new String[]{"/auth/api/Register/", "{\"phonenumber\": \"+4915112347002\"}", "200"},
                "email-signup", new String[]{"/api/v1/auth/users/", "{\"email\": \"pg@example.test\", \"terms_accepted\": true}", "201"},
                "users-api", new String[]{"/api/v1/users/", "{\"username\": \"pg-user\", \"password\": \"correct horse 42\"}", "201"},
                "jwt-auth", new String[]{"/auth/register", "{\"username\": \"pg-user\", \"password\": \"correct horse 42\"}", "201"});
        firstRequest.forEach((backend, request) -> {
            try (LegacyBackend reference = LegacyBackend.start(backend, createDatabase("reference_" + backend.replace('-', '_')))) {
                given().contentType(ContentType.JSON).body(request[1]).post(reference.baseUrl() + request[0])
                        .then().statusCode(Integer.parseInt(request[2]));
            }
        });
    }

    private static void checkExports(Path out, JsonNode manifest) throws IOException {
        JsonNode authDump = LegacyBackend.JSON.readTree(out.resolve("auth_user.json").toFile());
        List<JsonNode> users = models(authDump, "auth.user");
        assertThat(models(authDump, "auth.group")).extracting(g -> g.path("fields").path("name").asText())
                .containsExactly("customers", "editors");
        assertThat(users).hasSize(manifest.path("auth_user").path("users").size());
        Set<String> prefixes = new TreeSet<>();
        for (JsonNode user : users) {
            String hash = user.path("fields").path("password").asText();
            prefixes.add(hash.startsWith("!") ? "!" : hash.substring(0, hash.indexOf('$')));
        }
        assertThat(prefixes).containsAll(DJANGO_HASHERS).contains("!", "md5");
        // Every usable hash was checked by Django's own hasher while building; the manifest has the passwords.
        for (JsonNode user : manifest.path("auth_user").path("users")) {
            if (!user.path("hasher").isNull()) {
                assertThat(user.path("hash_prefix").asText()).isEqualTo(user.path("hasher").asText());
            }
        }
        assertThat(users).anySatisfy(u -> assertThat(u.path("fields").path("is_superuser").asBoolean()).isTrue())
                .anySatisfy(u -> assertThat(u.path("fields").path("is_active").asBoolean()).isFalse())
                .anySatisfy(u -> assertThat(u.path("fields").path("username").asText()).isEqualTo("zoë.ünicode"));

        List<JsonNode> custom = models(LegacyBackend.JSON.readTree(out.resolve("custom_user.json").toFile()), "tokenauth.user");
        assertThat(custom).extracting(u -> u.path("fields").path("phone_number").asText())
                .contains("+4915112340001", "0151 12340003", "");
        assertThat(custom).anySatisfy(u -> {
            assertThat(u.path("fields").path("email").asText()).isEqualTo("unverified@example.test");
            assertThat(u.path("fields").path("is_email_verified").asBoolean()).isFalse();
        });

        List<String> werkzeug = Files.readAllLines(out.resolve("werkzeug_users.csv"));
        assertThat(werkzeug.get(0)).isEqualTo("id,username,email,phone_number,phone_verified,password_hash");
        assertThat(werkzeug.subList(1, werkzeug.size())).extracting(line -> line.substring(line.lastIndexOf(',') + 1))
                .anySatisfy(h -> assertThat(h).startsWith("pbkdf2:sha256:"))
                .anySatisfy(h -> assertThat(h).startsWith("pbkdf2:sha1:"))
                .anySatisfy(h -> assertThat(h).matches("scrypt:32768:8:1\\$[A-Za-z0-9]{16}\\$[0-9a-f]{128}"));
        List<String> phones = Files.readAllLines(out.resolve("phone_users.csv"));
        assertThat(phones).hasSize(4);
        assertThat(phones.get(0)).isEqualTo("id,public_id,phone_number,phone_verified,date_joined");
    }

    private static List<JsonNode> models(JsonNode dump, String model) {
        List<JsonNode> found = new ArrayList<>();
        dump.forEach(o -> {
            if (o.path("model").asText().equals(model)) {
                found.add(o);
            }
        });
        return found;
    }

    private static Path runDir() {
        return Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run")).toAbsolutePath();
    }
}
