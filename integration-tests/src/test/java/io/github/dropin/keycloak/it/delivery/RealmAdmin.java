package io.github.dropin.keycloak.it.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * An administrator of one realm, not of the server: a user of that realm with the given roles of its
 * {@code realm-management} client (e.g. only {@code manage-realm}), signed in through the realm's {@code admin-cli}.
 * What such a person can do through Keycloak's admin REST API is what the pack must stay safe against.
 */
final class RealmAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "Realm-Admin-Passw0rd";

    private final TestRealm realm;
    private final String username;

    private RealmAdmin(TestRealm realm, String username) {
        this.realm = realm;
        this.username = username;
    }

    /** A new user of {@code realm} holding exactly {@code roles} of {@code realm-management}. */
    static RealmAdmin create(TestRealm realm, String... roles) {
        String username = "realm-admin-" + UUID.randomUUID().toString().substring(0, 8);
        String id = realm.admin().createUser(Map.of("username", username, "enabled", true,
                "email", username + "@example.test", "firstName", "Realm", "lastName", "Admin"));
        realm.admin().resetPassword(id, PASSWORD);
        String client = realm.admin().clients("realm-management").get(0).path("id").asText();
        List<Object> granted = new java.util.ArrayList<>();
        for (String role : roles) {
            granted.add(realm.admin().request().get("/clients/" + client + "/roles/" + role).then().statusCode(200)
                    .extract().as(Map.class));
        }
        realm.admin().request().body(granted).post("/users/" + id + "/role-mappings/clients/" + client)
                .then().statusCode(204);
        return new RealmAdmin(realm, username);
    }

    /** The administrator's username (the password is {@link #PASSWORD}), to sign in to the admin console. */
    String username() {
        return username;
    }

    /** A request with a fresh token of this administrator, based at {@code /admin/realms/<realm>}. */
    RequestSpecification request() {
        String token = given().formParams(Map.of("grant_type", "password", "client_id", "admin-cli",
                        "username", username, "password", PASSWORD))
                .post(realm.realmUrl() + "/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
        return given().baseUri(realm.serverUrl()).basePath("/admin/realms/" + realm.name()).auth().oauth2(token)
                .contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** Sets realm attributes as this administrator would in the admin console: read the realm, change, write back. */
    void setAttributes(Map<String, String> attributes) {
        JsonNode current = readTree(request().get("").then().statusCode(200).extract().asString());
        Map<String, String> merged = new LinkedHashMap<>();
        current.path("attributes").fields().forEachRemaining(e -> merged.put(e.getKey(), e.getValue().asText()));
        merged.putAll(attributes);
        request().body(Map.of("attributes", merged)).put("").then().statusCode(204);
    }

    /** The delivery test endpoint, called by this administrator. */
    Response deliveryTest(Map<String, Object> body) {
        return request().body(body).post("/dropin-delivery/test");
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
