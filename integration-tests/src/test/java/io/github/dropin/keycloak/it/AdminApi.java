package io.github.dropin.keycloak.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keycloak's admin REST API for one realm ({@code /admin/realms/<realm>/...}), as the bootstrap admin, for
 * arranging and checking state in tests. Results are Jackson trees in Keycloak's representation format
 * (see the admin REST API docs); request bodies may be a {@code Map}, a {@link JsonNode} or a JSON string.
 * Every call checks the status code and fails with the response body otherwise.
 *
 * <p>We use plain HTTP rather than {@code keycloak-admin-client}: the 26.7.3 client is not on the Maven
 * mirror we build from, and JSON trees keep the tests independent of representation classes.
 * For anything not covered here use {@link #request()}.
 */
public final class AdminApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer server;
    private final String realm;

    AdminApi(KeycloakServer server, String realm) {
        this.server = server;
        this.realm = realm;
    }

    /** A REST Assured request with a valid admin token, based at {@code /admin/realms/<realm>}. */
    public RequestSpecification request() {
        return RestAssured.given()
                .baseUri(server.serverUrl())
                .basePath("/admin/realms/" + realm)
                .auth().oauth2(server.adminToken())
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    /** GET {@code users} with Keycloak's query parameters ({@code search}, {@code email}, {@code exact}, {@code q}...). */
    public List<JsonNode> findUsers(Map<String, ?> query) {
        return list(expect(request().queryParams(query).get("/users"), 200, "find users " + query));
    }

    /** The user with exactly this username. */
    public Optional<JsonNode> userByUsername(String username) {
        return findUsers(Map.of("username", username, "exact", true)).stream().findFirst();
    }

    /** Users whose attribute {@code name} has the value {@code value} (Keycloak's {@code q=name:value} search). */
    public List<JsonNode> usersByAttribute(String name, String value) {
        return findUsers(Map.of("q", name + ":" + value));
    }

    public JsonNode user(String id) {
        return tree(expect(request().get("/users/{id}", id), 200, "get user " + id));
    }

    /** Creates a user and returns its id. */
    public String createUser(Object representation) {
        Response response = expect(request().body(json(representation)).post("/users"), 201, "create user");
        String location = response.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Sets a permanent password. */
    public void resetPassword(String userId, String password) {
        Map<String, Object> credential = Map.of("type", "password", "value", password, "temporary", false);
        expect(request().body(json(credential)).put("/users/{id}/reset-password", userId), 204, "reset password");
    }

    /** PUT: fields left out keep their values; {@code attributes}, when given, replace all attributes. */
    public void updateUser(String userId, Object representation) {
        expect(request().body(json(representation)).put("/users/{id}", userId), 204, "update user " + userId);
    }

    /** Sets one attribute of the user to {@code value}, keeping the others (an update replaces all attributes). */
    public void setAttribute(String userId, String name, String value) {
        ObjectNode attributes = ((ObjectNode) user(userId).path("attributes")).deepCopy();
        attributes.putArray(name).add(value);
        updateUser(userId, Map.of("attributes", attributes));
    }

    public void deleteUser(String userId) {
        expect(request().delete("/users/{id}", userId), 204, "delete user " + userId);
    }

    /** The user's active sessions. */
    public List<JsonNode> userSessions(String userId) {
        return list(expect(request().get("/users/{id}/sessions", userId), 200, "sessions of " + userId));
    }

    /** Ends all of the user's sessions, as "Sign out" in the admin console does. */
    public void logoutUser(String userId) {
        expect(request().post("/users/{id}/logout", userId), 204, "log out " + userId);
    }

    /** The user's credentials (type, id, createdDate; never secrets). */
    public List<JsonNode> credentials(String userId) {
        return list(expect(request().get("/users/{id}/credentials", userId), 200, "credentials of " + userId));
    }

    /** The realm's stored user events, newest first, optionally only of the given types (LOGIN, REGISTER...). */
    public List<JsonNode> events(String... types) {
        RequestSpecification spec = request();
        if (types.length > 0) {
            spec.queryParam("type", (Object[]) types);
        }
        return list(expect(spec.get("/events"), 200, "events"));
    }

    /**
     * The realm's stored admin events, newest first, optionally only of the given resource types (Keycloak's
     * {@code USER}, {@code REALM}, ... or a custom type such as the pack's {@code DROPIN_SHIELD}). The realm must
     * store admin events ({@code adminEventsEnabled}).
     */
    public List<JsonNode> adminEvents(String... resourceTypes) {
        // Filtered here: Keycloak's resourceTypes parameter only takes its own types (a custom one is a 500).
        List<String> wanted = List.of(resourceTypes);
        return list(expect(request().get("/admin-events"), 200, "admin events")).stream()
                .filter(e -> wanted.isEmpty() || wanted.contains(e.path("resourceType").asText()))
                .toList();
    }

    /** Deletes the realm's stored user events. */
    public void clearEvents() {
        expect(request().delete("/events"), 204, "clear events");
    }

    /** Keycloak's brute-force record of a user ({@code numFailures}, {@code disabled}, ...). */
    public JsonNode bruteForceStatus(String userId) {
        return tree(expect(request().get("/attack-detection/brute-force/users/{id}", userId), 200,
                "brute-force status of " + userId));
    }

    /**
     * Waits (up to 15 s) until the brute-force detector reports the user locked: it records failures on a
     * background thread, so the lock follows the failing request shortly after.
     */
    public void awaitBruteForceLock(String userId) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (!bruteForceStatus(userId).path("disabled").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("user " + userId + " not locked: " + bruteForceStatus(userId));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * Fails as soon as the brute-force detector shows a failure or a lock for the user, watching for {@code quiet}:
     * it records failures on a background thread, so what a burst of requests caused shows shortly after the last
     * response. Returns the last status seen (no failures, not locked).
     */
    public JsonNode assertNoBruteForceFailures(String userId, java.time.Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (true) {
            JsonNode status = bruteForceStatus(userId);
            if (status.path("disabled").asBoolean() || status.path("numFailures").asInt() != 0) {
                throw new AssertionError("brute-force detector counted failures for user " + userId + ": " + status);
            }
            if (System.nanoTime() > deadline) {
                return status;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public JsonNode realm() {
        return tree(expect(request().get(""), 200, "get realm"));
    }

    /**
     * PUT on the realm: fields left out keep their values, except {@code attributes}, which Keycloak replaces as a
     * whole (attributes missing from the map are removed); use {@link #updateRealmAttributes} to change some.
     */
    public void updateRealm(Object representation) {
        expect(request().body(json(representation)).put(""), 204, "update realm");
    }

    /** Sets the given realm attributes and keeps all others (an empty value is what the pack reads as unset). */
    public void updateRealmAttributes(Map<String, String> attributes) {
        Map<String, String> merged = new java.util.LinkedHashMap<>();
        realm().path("attributes").fields().forEachRemaining(e -> merged.put(e.getKey(), e.getValue().asText()));
        merged.putAll(attributes);
        updateRealm(Map.of("attributes", merged));
    }

    /** The realm's clients with this {@code clientId} (zero or one). */
    public List<JsonNode> clients(String clientId) {
        return list(expect(request().queryParam("clientId", clientId).get("/clients"), 200, "clients " + clientId));
    }

    public int countUsers() {
        return Integer.parseInt(expect(request().get("/users/count"), 200, "count users").asString().trim());
    }

    /** The declarative user profile (attributes, validators, unmanaged-attribute policy). */
    public JsonNode userProfile() {
        return tree(expect(request().get("/users/profile"), 200, "get user profile"));
    }

    public void updateUserProfile(Object representation) {
        expect(request().body(json(representation)).put("/users/profile"), 200, "update user profile");
    }

    void deleteRealm() {
        expect(request().delete(""), 204, "delete realm " + realm);
    }

    static Response expect(Response response, int status, String what) {
        if (response.statusCode() != status) {
            throw new AssertionError(what + ": expected HTTP " + status + " but got " + response.statusCode()
                    + " " + response.asString());
        }
        return response;
    }

    static String json(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write as JSON: " + value, e);
        }
    }

    private static JsonNode tree(Response response) {
        try {
            return JSON.readTree(response.asString());
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not JSON: " + response.asString(), e);
        }
    }

    private static List<JsonNode> list(Response response) {
        List<JsonNode> items = new ArrayList<>();
        tree(response).forEach(items::add);
        return items;
    }
}
