package io.github.dropin.keycloak.it.importing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The import endpoint itself ({@code /admin/realms/{realm}/dropin-import/users}, docs/migration.md): who may call it,
 * its answers to bad parameters and broken files, and the row-by-row refusals and warnings of records that cannot come
 * whole. Records here have no passwords (the tests never write a hash; real hashes are in {@link DjangoImportIT}).
 */
@KeycloakRealm("realms/legacy-import.json")
class ImportEndpointIT {

    final TestRealm realm;

    ImportEndpointIT(TestRealm realm) {
        this.realm = realm;
    }

    RequestSpecification admin() {
        return realm.admin().request();
    }

    Response post(RequestSpecification spec, String contentType, String body, Map<String, ?> query) {
        return spec.contentType(contentType).queryParams(query).body(body).post("/dropin-import/users");
    }

    @Test
    void needsManageUsers() {
        String body = "id,username\n1,someone\n";
        given().contentType("text/csv").body(body).post(realm.serverUrl() + "/admin/realms/" + realm.name()
                + "/dropin-import/users").then().statusCode(401);

        String viewer = user("viewer", "view-users");
        given().auth().oauth2(tokenOf(viewer)).contentType("text/csv").body(body)
                .post(realm.serverUrl() + "/admin/realms/" + realm.name() + "/dropin-import/users").then().statusCode(403);
        assertThat(realm.admin().userByUsername("someone")).isEmpty();

        String manager = user("manager", "manage-users");
        // A manage-users administrator may not create the staff role: it must exist or not be mapped.
        given().auth().oauth2(tokenOf(manager)).contentType("text/csv").body("id,username,is_staff\n1,someone,true\n")
                .post(realm.serverUrl() + "/admin/realms/" + realm.name() + "/dropin-import/users?withoutPassword=true")
                .then().statusCode(400).body("error", equalTo("realm role 'staff' does not exist: create it, name "
                        + "another (staffRole, superuserRole; empty: not mapped), or import as a realm manager"));
        given().auth().oauth2(tokenOf(manager)).contentType("text/csv").body(body)
                .post(realm.serverUrl() + "/admin/realms/" + realm.name()
                        + "/dropin-import/users?withoutPassword=true&staffRole=&superuserRole=")
                .then().statusCode(200).body("created", equalTo(1));
        assertThat(realm.admin().userByUsername("someone")).isPresent();
    }

    @Test
    void refusesBadParametersAndFilesThatAreNotWhatTheySay() {
        post(admin(), "text/csv", "id\n1\n", Map.of("format", "xml")).then().statusCode(400)
                .body(equalTo("{\"error\":\"format must be dumpdata or csv\"}"));
        post(admin(), "text/csv", "id\n1\n", Map.of("field.mobile", "x")).then().statusCode(400)
                .body("error", equalTo("unknown property 'mobile'; one of [id, publicId, username, email, emailVerified, "
                        + "firstName, lastName, active, dateJoined, phone, phoneVerified, groups, staff, superuser, password]"));
        post(admin(), "application/json", "{\"model\": \"auth.user\"}", Map.of()).then().statusCode(400)
                .body("error", equalTo("not a dumpdata file: a dumpdata file is a JSON array of objects, not {"));
        post(admin(), "text/csv", "", Map.of()).then().statusCode(400)
                .body(equalTo("{\"error\":\"the CSV file has no header row\"}"));
        post(admin(), "text/csv", "id\n1\n", Map.of("batchSize", "0")).then().statusCode(400);
    }

    @Test
    void aFileThatBreaksPartWayKeepsWhatCameBeforeAndSaysWhere() {
        String json = "[\n{\"model\": \"auth.user\", \"pk\": 101, \"fields\": {\"username\": \"before-the-break\"}},\n"
                + "{\"model\": \"auth.user\", \"pk\": 102, \"fields\": {\"username\": \"broken\" \"email\": 1}}]";
        JsonNode report = post(admin(), "application/json", json, Map.of("withoutPassword", "true", "batchSize", "1"))
                .then().statusCode(400).extract().as(JsonNode.class);
        assertThat(report.path("created").asInt()).isEqualTo(1);
        assertThat(report.path("error").asText()).startsWith("JSON parse error at line 3, column ")
                .contains("(after record 1)");
        assertThat(realm.admin().userByUsername("before-the-break")).isPresent();
    }

    @Test
    void refusesAndWarnsRowByRowWithTheReason() {
        String csv = String.join("\n",
                "id,username,email,phone_number,phone_verified,groups,date_joined",
                "201,row-ada,ada@example.test,+4915112346001,true,readers;writers,2024-01-02T03:04:05Z",
                "202,Row-Ada,other@example.test,,,,",
                "203,row-bob,ADA@example.test,,,,",
                "204,row-carol,carol@example.test,12,true,readers,yesterday",
                "205,row-dave,dave@example.test,+4915112346001,false,,",
                "x,row-eve,,,,,",
                "206,,,,,,",
                "207,,,not a number,,,",
                "");
        JsonNode report = post(admin(), "text/csv", csv, Map.of("withoutPassword", "true")).then().statusCode(200)
                .extract().as(JsonNode.class);
        assertThat(report.path("rows").asInt()).isEqualTo(8);
        assertThat(report.path("created").asInt()).isEqualTo(3);
        assertThat(report.path("refused").asInt()).isEqualTo(5);
        assertThat(reasons(report.path("refusals"), "reason")).containsExactly(
                "2: username 'row-ada' belongs to the user with legacy id 201 (Keycloak's usernames ignore case)",
                "3: email 'ada@example.test' belongs to the user with legacy id 201",
                "6: legacy id 'x' is not a positive integer",
                "7: no username, email or phone number to name the user by",
                "8: phone number 'not a number' is not valid for the realm (not a number)");
        assertThat(reasons(report.path("warningDetails"), "warning")).contains(
                "1: imported without a password: no password hash",
                "4: date joined 'yesterday' not understood (ISO 8601 expected); not imported",
                "4: phone number '12' is not valid for the realm (invalid); imported without it",
                "5: phone number +4915112346001 belongs to the user with legacy id 201; imported without it");

        JsonNode ada = realm.admin().userByUsername("row-ada").orElseThrow();
        assertThat(ada.path("attributes").path("phoneNumber").get(0).asText()).isEqualTo("+4915112346001");
        assertThat(ada.path("attributes").path("phoneNumberVerified").get(0).asText()).isEqualTo("true");
        assertThat(ada.path("createdTimestamp").asLong()).isEqualTo(1704164645000L);
        assertThat(admin().get("/users/{id}/groups", ada.path("id").asText()).then().statusCode(200).extract().jsonPath()
                .getList("name", String.class)).containsExactlyInAnyOrder("readers", "writers");
        assertThat(realm.admin().userByUsername("row-carol").orElseThrow().path("attributes").has("phoneNumber")).isFalse();
    }

    @Test
    void withoutWithoutPasswordAUserWithoutAUsableHashIsRefused() {
        JsonNode report = post(admin(), "text/csv", "id,username,password\n301,no-hash,\n302,unusable,!abc\n", Map.of())
                .then().statusCode(200).extract().as(JsonNode.class);
        assertThat(reasons(report.path("refusals"), "reason")).containsExactly(
                "1: password not carried over: no password hash (withoutPassword=true imports the user without one)",
                "2: password not carried over: unusable password (Django's set_unusable_password: the user has no "
                        + "password) (withoutPassword=true imports the user without one)");
        assertThat(realm.admin().userByUsername("no-hash")).isEmpty();
    }

    @Test
    void groupsReferredToByAnUnknownPrimaryKeyAreAWarning() {
        String json = "[{\"model\": \"auth.group\", \"pk\": 41, \"fields\": {\"name\": \"known\", \"permissions\": []}},"
                + "{\"model\": \"contenttypes.contenttype\", \"pk\": 1, \"fields\": {}},"
                + "{\"model\": \"auth.user\", \"pk\": 401, \"fields\": {\"username\": \"grouped\", \"groups\": [41, 42]}}]";
        JsonNode report = post(admin(), "application/json", json, Map.of("withoutPassword", "true")).then().statusCode(200)
                .extract().as(JsonNode.class);
        assertThat(report.path("groupsCreated").asInt()).isEqualTo(1);
        assertThat(report.path("skipped").asInt()).isEqualTo(1);
        assertThat(reasons(report.path("warningDetails"), "warning")).contains("3: group with legacy id 42 is unknown "
                + "(import the auth.group objects before the users, as dumpdata auth.group auth.user writes them); not joined");
        String id = realm.admin().userByUsername("grouped").orElseThrow().path("id").asText();
        assertThat(admin().get("/users/{id}/groups", id).then().statusCode(200).extract().jsonPath()
                .getList("name", String.class)).containsExactly("known");
    }

    private static List<String> reasons(JsonNode entries, String field) {
        return java.util.stream.StreamSupport.stream(entries.spliterator(), false)
                .map(e -> e.path("row").asInt() + ": " + e.path(field).asText()).toList();
    }

    /** A realm user with one role of realm-management; returns its username. */
    private String user(String username, String role) {
        String id = realm.admin().createUser(Map.of("username", username, "enabled", true, "firstName", "A",
                "lastName", "B", "email", username + "@example.test", "emailVerified", true));
        realm.admin().resetPassword(id, "Correct-Horse-9");
        String client = realm.admin().clients("realm-management").get(0).path("id").asText();
        JsonNode roleRep = admin().get("/clients/{client}/roles/{role}", client, role).then().statusCode(200)
                .extract().as(JsonNode.class);
        admin().contentType("application/json").body(List.of(roleRep))
                .post("/users/{id}/role-mappings/clients/{client}", id, client).then().statusCode(204);
        return username;
    }

    private String tokenOf(String username) {
        return given().formParams(Map.of("grant_type", "password", "client_id", "admin-cli", "username", username,
                        "password", "Correct-Horse-9"))
                .post(realm.realmUrl() + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
    }
}
