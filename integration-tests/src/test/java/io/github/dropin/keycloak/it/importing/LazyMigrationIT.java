package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Browser;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.PostgresServer;
import io.github.dropin.keycloak.it.ServerLog;
import io.github.dropin.keycloak.it.TestRealm;
import io.github.dropin.keycloak.it.legacy.LegacyBackend;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, lazy migration, against a real Django database on PostgreSQL: a throw-away PostgreSQL of its own (so it
 * can be stopped without touching Keycloak's), the schema made by Django's {@code migrate} (the jwt-auth reference
 * backend, Django's own {@code auth_user}), users made by Django's {@code create_user} with Django's hashers, a
 * profile table with phone numbers; the "Legacy Django database" federation component created through the admin REST
 * API as the admin console creates it. Keycloak reads that database as role {@value #DB_ROLE}, which must give its
 * password (scram-sha-256), taken from Keycloak's file vault. Users sign in through the dialects with their old
 * passwords and are migrated; bulk-imported users are not imported twice; bad settings (a wrong vault password among
 * them) are refused with the reason; a wrong password in the vault and an outage of the legacy database refuse the
 * users not yet migrated (the dialect's usual answer, nothing written) until they end. The admin console (Chromium)
 * lists the provider under User federation and shows its form with the saved values.
 */
@KeycloakRealm("realms/legacy-import.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LazyMigrationIT {

    static final String PROVIDER_ID = "dropin-legacy-django";
    static final String STORAGE_TYPE = "org.keycloak.storage.UserStorageProvider";
    static final String NO_ACCOUNT = "{\"detail\":\"No active account found with the given credentials\"}";
    static final String PASSWORD = "Legacy-pass-2019";
    /** The database role Keycloak reads the legacy tables as; it must give its password. */
    static final String DB_ROLE = "legacy";
    static final String DB_PASSWORD = "Db-secret-4f1c9a";
    static final String WRONG_DB_PASSWORD = "Not-the-db-secret-77";
    /** The component's vault entry (file {@code <realm>_legacy__db__password}) and one holding a wrong password. */
    static final String VAULT_KEY = "legacy_db_password";
    static final String WRONG_VAULT_KEY = "legacy_db_wrong";

    static PostgresServer postgres;
    static LegacyBackend django;
    static String jdbcUrl;
    static String componentId;
    static final Map<String, Long> ids = new HashMap<>();
    static final Map<String, String> phones = new HashMap<>();

    final TestRealm realm;

    LazyMigrationIT(TestRealm realm) {
        this.realm = realm;
    }

    @BeforeAll
    static void legacyDatabase(TestRealm realm, KeycloakServer server) {
        LegacyBackend.requireFrameworks();
        Path run = Path.of(System.getProperty("dropin.it.legacyRunDir", "target/legacy-run")).toAbsolutePath();
        postgres = PostgresServer.start(run.resolve("lazy-postgres"), run.resolve("lazy-postgres.log"),
                List.of(new PostgresServer.PasswordRole(DB_ROLE, DB_PASSWORD)));
        String admin = "postgresql://" + PostgresServer.USER + "@127.0.0.1:" + postgres.port() + "/" + PostgresServer.DATABASE;
        // The reference backend runs Django's migrate on it: auth_user exactly as Django makes it.
        django = LegacyBackend.start("jwt-auth", LegacyBackend.createPostgresDatabase(admin, "legacy_app"));
        django.python("from django.db import connection\n"
                + "with connection.cursor() as c:\n"
                + "    c.execute('CREATE TABLE accounts_profile (id serial PRIMARY KEY, user_id integer UNIQUE NOT NULL "
                + "REFERENCES auth_user(id), phone_number varchar(32), is_phone_verified boolean NOT NULL)')\n"
                // Read only, as the docs advise; Django itself keeps the superuser.
                + "    c.execute('GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + DB_ROLE + "')\n");
        jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/legacy_app";

        legacyUser("alice", "pbkdf2_sha256", true, true);
        legacyUser("bob", "argon2", false, true);
        legacyUser("carol", "bcrypt_sha256", true, true);
        legacyUser("hank", "pbkdf2_sha256", true, true);
        legacyUser("ivan", "pbkdf2_sha256", false, true);
        legacyUser("judy", "argon2", true, true);
        legacyUser("erin", "pbkdf2_sha256", false, true);
        legacyUser("frank", "bcrypt_sha256", false, true);
        legacyUser("dave", "pbkdf2_sha256", true, false);
        legacyUser("grace", "pbkdf2_sha256", false, true);

        server.putVaultSecret(realm.name(), VAULT_KEY, DB_PASSWORD);
        Response created = createComponent(realm, config(Map.of()));
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        componentId = created.header("Location").replaceAll(".*/", "");
    }

    static void legacyUser(String name, String hasher, boolean phone, boolean active) {
        long id = django.createUser(name, PASSWORD, hasher, Map.of("email", name + "@example.test",
                "first_name", name.substring(0, 1).toUpperCase() + name.substring(1), "last_name", "Legacy",
                "is_active", active));
        ids.put(name, id);
        if (phone) {
            String number = Phones.next();
            phones.put(name, number);
            // Stored as django-phonenumber-field stores it: E.164.
            django.python("from django.db import connection\n"
                    + "with connection.cursor() as c:\n"
                    + "    c.execute('INSERT INTO accounts_profile (user_id, phone_number, is_phone_verified) "
                    + "VALUES (%s, %s, true)', [" + id + ", '" + number + "'])\n");
        }
    }

    @AfterAll
    static void stopLegacy() {
        if (django != null) {
            django.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static Map<String, List<String>> config(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "jdbcUrl", jdbcUrl,
                "user", DB_ROLE,
                "password", "${vault." + VAULT_KEY + "}",
                "phoneTable", "accounts_profile",
                "phoneColumn", "phone_number",
                "phoneVerifiedColumn", "is_phone_verified",
                "connectTimeout", "3",
                "enabled", "true",
                "priority", "0",
                "cachePolicy", "DEFAULT"));
        values.putAll(overrides);
        Map<String, List<String>> config = new HashMap<>();
        values.forEach((k, v) -> config.put(k, List.of(v)));
        return config;
    }

    /** What the admin console posts when "Add Legacy Django database provider" is saved. */
    static Response createComponent(TestRealm realm, Map<String, List<String>> config) {
        return realm.admin().request().body(Map.of(
                        "name", "Legacy Django database",
                        "providerId", PROVIDER_ID,
                        "providerType", STORAGE_TYPE,
                        "parentId", realm.admin().realm().path("id").asText(),
                        "config", config))
                .post("/components");
    }

    JsonNode user(String username) {
        return realm.admin().userByUsername(username).orElseThrow(() -> new AssertionError(username + " not imported"));
    }

    boolean exists(String username) {
        return realm.admin().userByUsername(username).isPresent();
    }

    Response jwtAuth(String username, String password) {
        return ImportedUsers.signIn(realm, "jwt-auth", username, null, password);
    }

    void assertMigrated(String username) {
        JsonNode user = user(username);
        assertThat(user.path("attributes").path("legacyId").toString()).isEqualTo("[\"" + ids.get(username) + "\"]");
        assertThat(user.has("federationLink")).as("federation link of %s", username).isFalse();
        // Keycloak's own password credential, hashed by the realm's policy (none set: Keycloak's default argon2).
        assertThat(ImportedUsers.isRealmPolicy(ImportedUsers.credentialData(realm, user.path("id").asText()))).isTrue();
    }

    @Test
    @Order(1)
    void aLegacyUserSignsInWithTheOldPasswordAndIsMigrated() {
        assertThat(exists("alice")).isFalse();
        Response first = jwtAuth("alice", PASSWORD);
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        assertThat(first.jsonPath().getString("access")).isNotBlank();

        assertMigrated("alice");
        JsonNode alice = user("alice");
        assertThat(alice.path("email").asText()).isEqualTo("alice@example.test");
        assertThat(alice.path("firstName").asText()).isEqualTo("Alice");
        assertThat(alice.path("enabled").asBoolean()).isTrue();
        assertThat(alice.path("attributes").path("phoneNumber").toString()).isEqualTo("[\"" + phones.get("alice") + "\"]");
        assertThat(alice.path("attributes").path("phoneNumberVerified").toString()).isEqualTo("[\"true\"]");

        // Signed in again: Keycloak's own password now, the same user.
        Response second = jwtAuth("alice", PASSWORD);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(user("alice").path("id").asText()).isEqualTo(alice.path("id").asText());
        assertThat(realm.admin().usersByAttribute("legacyId", Long.toString(ids.get("alice")))).hasSize(1);
    }

    @Test
    @Order(2)
    void byEmailAndByPhone() {
        // email-signup signs in by email (Djoser and SimpleJWT with USERNAME_FIELD = email).
        Response byEmail = ImportedUsers.signIn(realm, "email-signup", null, "BOB@example.test", PASSWORD);
        assertThat(byEmail.statusCode()).as(byEmail.asString()).isEqualTo(200);
        assertMigrated("bob");

        // phone-otp looks its users up by number: the legacy user is imported and gets its code.
        Response code = given().contentType(ContentType.JSON).body(Map.of("phone", Phones.spaced(phones.get("carol"))))
                .post(realm.realmUrl() + "/phone-otp/auth/api/login/");
        assertThat(code.statusCode()).as(code.asString()).isEqualTo(200);
        assertThat(code.jsonPath().getString("message")).isEqualTo("Code Send to user");
        JsonNode carol = user("carol");
        assertThat(carol.path("attributes").path("legacyId").toString()).isEqualTo("[\"" + ids.get("carol") + "\"]");
        assertThat(carol.path("federationLink").asText()).isEqualTo(componentId);

        // The administrator's attribute search finds a legacy user by number too.
        List<JsonNode> found = realm.admin().usersByAttribute("phoneNumber", phones.get("hank"));
        assertThat(found).extracting(u -> u.path("username").asText()).containsExactly("hank");
    }

    @Test
    @Order(3)
    void aWrongPasswordChangesNothingAndKeepsALinkedUserLinked() {
        // Not in Keycloak yet: the refused sign-in rolls back its request, the lookup's import with it.
        Response wrong = jwtAuth("ivan", "not-the-password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.asString()).isEqualTo(NO_ACCOUNT);
        assertThat(exists("ivan")).isFalse();
        Response right = jwtAuth("ivan", PASSWORD);
        assertThat(right.statusCode()).isEqualTo(200);
        assertMigrated("ivan");

        // Imported by an earlier lookup (carol, by phone-otp's number lookup): a wrong password leaves it linked, with
        // its password still in the legacy database; the right one migrates the same user.
        JsonNode carol = user("carol");
        assertThat(carol.path("federationLink").asText()).isEqualTo(componentId);
        assertThat(jwtAuth("carol", "not-the-password").asString()).isEqualTo(NO_ACCOUNT);
        assertThat(user("carol").path("federationLink").asText()).isEqualTo(componentId);
        assertThat(realm.admin().credentials(carol.path("id").asText())).isEmpty();
        assertThat(jwtAuth("carol", PASSWORD).statusCode()).isEqualTo(200);
        assertMigrated("carol");
        assertThat(user("carol").path("id").asText()).isEqualTo(carol.path("id").asText());

        // An inactive legacy user is imported disabled (as the bulk import does) and cannot sign in.
        assertThat(realm.admin().usersByAttribute("phoneNumber", phones.get("dave"))).singleElement()
                .satisfies(dave -> assertThat(dave.path("enabled").asBoolean()).isFalse());
        Response inactive = jwtAuth("dave", PASSWORD);
        assertThat(inactive.statusCode()).isEqualTo(401);
        assertThat(inactive.asString()).isEqualTo(NO_ACCOUNT);
        assertThat(user("dave").path("federationLink").asText()).isEqualTo(componentId);
        assertThat(realm.admin().credentials(user("dave").path("id").asText())).isEmpty();
    }

    @Test
    @Order(4)
    void aBulkImportedUserIsNeverImportedTwice() {
        // judy: imported by a lookup (the administrator's search by number), still linked; erin: not in Keycloak yet.
        assertThat(realm.admin().usersByAttribute("phoneNumber", phones.get("judy"))).hasSize(1);
        String judyId = user("judy").path("id").asText();
        assertThat(user("judy").path("federationLink").asText()).isEqualTo(componentId);
        assertThat(exists("erin")).isFalse();

        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode row : django.dumpdata("auth.user")) {
            String username = row.path("fields").path("username").asText();
            if (username.equals("judy") || username.equals("erin")) {
                rows.add(row);
            }
        }
        JsonNode report = realm.admin().request().contentType("application/json").body(rows)
                .post("/dropin-import/users").then().statusCode(200).extract().as(JsonNode.class);
        assertThat(report.path("created").asInt()).as(report.toString()).isEqualTo(1);
        assertThat(report.path("updated").asInt()).as(report.toString()).isEqualTo(1);
        assertThat(report.path("refused").asInt()).as(report.toString()).isZero();

        // The import took judy over (same user, unlinked, the legacy hash as its password)...
        JsonNode judy = user("judy");
        assertThat(judy.path("id").asText()).isEqualTo(judyId);
        assertThat(judy.has("federationLink")).isFalse();
        String erinId = user("erin").path("id").asText();
        assertThat(user("erin").has("federationLink")).isFalse();

        // ...and signing in finds the imported users, never a second copy from the legacy database.
        assertThat(jwtAuth("erin", PASSWORD).statusCode()).isEqualTo(200);
        assertThat(jwtAuth("judy", PASSWORD).statusCode()).isEqualTo(200);
        assertThat(user("erin").path("id").asText()).isEqualTo(erinId);
        assertThat(realm.admin().usersByAttribute("legacyId", Long.toString(ids.get("erin")))).hasSize(1);
        assertThat(realm.admin().usersByAttribute("legacyId", Long.toString(ids.get("judy")))).hasSize(1);
    }

    @Test
    @Order(5)
    void badSettingsAreRefusedWithTheReason() {
        String wrongPort = jdbcUrl.replace(":" + postgres.port() + "/", ":1/");
        refused(Map.of("jdbcUrl", wrongPort), "cannot connect to " + wrongPort + ": ");
        refused(Map.of("table", "accounts_user"), "table accounts_user does not exist (or the database user cannot read it)");
        refused(Map.of("emailColumn", "mail"), "table auth_user has no column mail");
        refused(Map.of("phoneColumn", "mobile"), "table accounts_profile has no column mobile");
        refused(Map.of("table", "auth_user; DELETE FROM auth_user"), "table 'auth_user; DELETE FROM auth_user' is not "
                + "a plain SQL name");
        Response plain = refused(Map.of("password", "hunter2-secret"), "the database password must be a vault "
                + "reference such as ${vault.legacy_db_password}, not the password itself");
        assertThat(plain.asString()).doesNotContain("hunter2-secret");
        refused(Map.of("password", "${vault.no_such_key}"), "the vault has no secret for ${vault.no_such_key}");
        refused(Map.of("jdbcUrl", "jdbc:sqlserver://127.0.0.1:1433;databaseName=app"), "JDBC URL must start with one of");

        // Nothing of them was saved: one provider, the first.
        assertThat(components()).extracting(c -> c.path("id").asText()).containsExactly(componentId);
    }

    Response refused(Map<String, String> overrides, String message) {
        Response response = createComponent(realm, config(overrides));
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.jsonPath().getString("errorMessage")).startsWith(message);
        return response;
    }

    List<JsonNode> components() {
        JsonNode list = realm.admin().request().queryParam("type", STORAGE_TYPE).get("/components")
                .then().statusCode(200).extract().as(JsonNode.class);
        return StreamSupport.stream(list.spliterator(), false).toList();
    }

    @Test
    @Order(6)
    void theDatabasePasswordComesFromTheVaultAndAWrongOneFailsClosed(KeycloakServer server, ServerLog log) {
        String cannotConnect = "cannot connect to " + jdbcUrl + ": ";
        // The role must give a password: none at all is refused by the database.
        Response none = refused(Map.of("password", ""), cannotConnect);
        assertThat(none.jsonPath().getString("errorMessage")).contains("no password was provided");

        // A vault entry with a wrong password: refused with the database's reason, the password never repeated.
        server.putVaultSecret(realm.name(), WRONG_VAULT_KEY, WRONG_DB_PASSWORD);
        Response wrong = refused(Map.of("password", "${vault." + WRONG_VAULT_KEY + "}"), cannotConnect);
        assertThat(wrong.jsonPath().getString("errorMessage"))
                .contains("password authentication failed for user \"" + DB_ROLE + "\"");
        assertThat(wrong.asString()).doesNotContain(WRONG_DB_PASSWORD).doesNotContain(DB_PASSWORD);
        assertThat(components()).extracting(c -> c.path("id").asText()).containsExactly(componentId);

        // The saved component's vault entry turns wrong (the file vault reads the file at every use: no restart):
        // users not yet migrated are refused as by an outage, nothing is written, and the password is in no log line.
        long users = realm.admin().countUsers();
        log.mark();
        server.putVaultSecret(realm.name(), VAULT_KEY, WRONG_DB_PASSWORD);
        try {
            Response refused = jwtAuth("grace", PASSWORD);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.asString()).isEqualTo(NO_ACCOUNT);
            assertThat(exists("grace")).isFalse();
            assertThat(realm.admin().countUsers()).isEqualTo(users);
            // Migrated users no longer need the legacy database.
            assertThat(jwtAuth("alice", PASSWORD).statusCode()).isEqualTo(200);
            List<String> warnings = log.linesFrom(log.lastMark()).stream()
                    .filter(Pattern.compile("WARN.*Legacy database of user federation").asPredicate()).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("password authentication failed for user \"" + DB_ROLE + "\"");
            assertThat(log.linesFrom(log.lastMark())).noneMatch(line -> line.contains(WRONG_DB_PASSWORD)
                    || line.contains(DB_PASSWORD));
        } finally {
            server.putVaultSecret(realm.name(), VAULT_KEY, DB_PASSWORD);
        }
        // The right password back in the vault: the next sign-in migrates.
        Response back = jwtAuth("grace", PASSWORD);
        assertThat(back.statusCode()).as(back.asString()).isEqualTo(200);
        assertMigrated("grace");
        log.awaitLine(Pattern.compile("Legacy database of user federation .* answers again"), Duration.ofSeconds(5));
    }

    @Test
    @Order(7)
    void anOutageRefusesTheUsersNotYetMigratedAndEndsByItself(ServerLog log) {
        long users = realm.admin().countUsers();
        log.mark();
        postgres.stop();
        try {
            // Migrated users no longer need the legacy database.
            assertThat(jwtAuth("alice", PASSWORD).statusCode()).isEqualTo(200);
            // The others get the dialect's usual refusal, twice, and nothing is written.
            for (int i = 0; i < 2; i++) {
                Response refused = jwtAuth("frank", PASSWORD);
                assertThat(refused.statusCode()).isEqualTo(401);
                assertThat(refused.asString()).isEqualTo(NO_ACCOUNT);
            }
            Response byEmail = ImportedUsers.signIn(realm, "email-signup", null, "frank@example.test", PASSWORD);
            assertThat(byEmail.statusCode()).isEqualTo(401);
            assertThat(exists("frank")).isFalse();
            assertThat(realm.admin().countUsers()).isEqualTo(users);
            // Logged once for the outage, with the URL and the driver's reason.
            List<String> warnings = log.linesFrom(log.lastMark()).stream()
                    .filter(Pattern.compile("WARN.*Legacy database of user federation").asPredicate()).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains(jdbcUrl).contains("refused");
        } finally {
            postgres.restart();
        }
        Response back = jwtAuth("frank", PASSWORD);
        assertThat(back.statusCode()).as(back.asString()).isEqualTo(200);
        assertMigrated("frank");
        log.awaitLine(Pattern.compile("Legacy database of user federation .* answers again"), Duration.ofSeconds(5));
    }

    @Test
    @Order(8)
    void theAdminConsoleShowsTheProviderAndItsForm(KeycloakServer server) {
        JsonNode component = components().get(0);
        assertThat(component.path("providerId").asText()).isEqualTo(PROVIDER_ID);
        assertThat(component.path("name").asText()).isEqualTo("Legacy Django database");
        assertThat(component.path("config").path("jdbcUrl").toString()).isEqualTo("[\"" + jdbcUrl + "\"]");
        // Saving it raised the realm's next legacy id above the legacy table's: new Keycloak users never take the id
        // of a legacy user not imported yet.
        long highest = ids.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(realm.admin().realm().path("attributes").path("dropin.legacyIds.next").asLong())
                .isGreaterThan(highest);

        JsonNode info = given().auth().oauth2(server.adminToken()).accept(ContentType.JSON)
                .get(server.serverUrl() + "/admin/serverinfo").then().statusCode(200).extract().as(JsonNode.class);
        JsonNode type = StreamSupport.stream(info.path("componentTypes").path(STORAGE_TYPE).spliterator(), false)
                .filter(t -> t.path("id").asText().equals(PROVIDER_ID)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + PROVIDER_ID + " in serverinfo"));
        assertThat(type.path("helpText").asText()).startsWith("Legacy Django database");
        Map<String, String> defaults = new HashMap<>();
        type.path("properties").forEach(p -> defaults.put(p.path("name").asText(), p.path("defaultValue").asText()));
        assertThat(defaults).containsKeys("jdbcUrl", "user", "password", "table", "idColumn", "usernameColumn",
                "emailColumn", "passwordColumn", "firstNameColumn", "lastNameColumn", "activeColumn",
                "dateJoinedColumn", "phoneTable", "phoneUserIdColumn", "phoneColumn", "phoneVerifiedColumn",
                "connectTimeout");
        assertThat(defaults).containsEntry("table", "auth_user").containsEntry("passwordColumn", "password")
                .containsEntry("activeColumn", "is_active").containsEntry("dateJoinedColumn", "date_joined");
    }

    @Test
    @Order(9)
    void theUserFederationPageListsTheProviderAndShowsItsForm() {
        try (Browser browser = Browser.start()) {
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1600, 1000));
            // The server administrator, through the master realm's console, as an operator would.
            browser.open(realm.serverUrl() + "/admin/master/console/#/" + realm.name() + "/user-federation");
            browser.type(By.id("username"), KeycloakServer.ADMIN_USERNAME);
            browser.type(By.id("password"), KeycloakServer.ADMIN_PASSWORD);
            browser.clickAndWait(By.id("kc-login"));

            // The provider's card: the component's name, the provider id below it, enabled.
            By title = By.xpath("//*[@data-testid='keycloak-card-title']//a[normalize-space()='Legacy Django database']");
            WebElement card = browser.find(title).findElement(By.xpath(
                    "ancestor::*[contains(concat(' ', normalize-space(@class), ' '), '-c-card ')][1]"));
            assertThat(card.getText()).contains("Dropin-legacy-django").contains("Enabled");

            // Opened: the form of the saved component, with its values and the pack's labels.
            browser.find(title).click();
            browser.waitFor(d -> d.getCurrentUrl().contains("/user-federation/" + PROVIDER_ID + "/" + componentId)
                    ? true : null);
            Map<String, String> expected = Map.of("jdbcUrl", jdbcUrl, "user", DB_ROLE,
                    "password", "${vault." + VAULT_KEY + "}", "table", "auth_user", "passwordColumn", "password",
                    "phoneTable", "accounts_profile", "phoneColumn", "phone_number",
                    "phoneVerifiedColumn", "is_phone_verified", "connectTimeout", "3");
            expected.forEach((name, value) -> {
                By field = By.cssSelector("[data-testid='" + name + "'], [id='config." + name + "'], input[name='config."
                        + name + "']");
                // The form renders before the component is loaded: wait for the saved value, not the default.
                browser.waitFor(d -> d.findElements(field).stream()
                        .anyMatch(e -> value.equals(e.getDomProperty("value"))) ? true : null);
            });
            assertThat(browser.pageText()).contains("JDBC URL", "Database user", "Database password", "User table",
                    "Phone table", "Connect timeout (s)");
        }
    }
}
