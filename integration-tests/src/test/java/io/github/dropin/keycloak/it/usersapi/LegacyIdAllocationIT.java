package io.github.dropin.keycloak.it.usersapi;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.NOT_FOUND;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.PASSWORD;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.TOKEN_AUTH;
import static io.github.dropin.keycloak.it.usersapi.UsersApiIT.USERS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Legacy ids (SPEC §5) handed out to users who had none, on users-api with {@code legacyIds} on. Found by the
 * million-user benchmark: {@code GET users/<id>/} asked for the caller's own legacy id just to compare it with the
 * path, which handed the caller a new number on every request; a request answered 404 rolls back, so the number was
 * never stored, stayed claimed for a day, and the realm's lowest free number never moved. After 1 000 such requests
 * (the allocator's probe window) no user of the realm could get a legacy id any more: every registration and every
 * first answer about a user without one was a 500, for a day.
 */
@KeycloakRealm("realms/users-api.json")
class LegacyIdAllocationIT {

    /** The allocator's probe window (LegacyIds.MAX_PROBES): one request more than it. */
    static final int REQUESTS = 1001;

    final TestRealm realm;

    LegacyIdAllocationIT(TestRealm realm) {
        this.realm = realm;
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    static Map<String, String> account(String name) {
        return Map.of("username", name, "password", PASSWORD, "first_name", "Grace", "last_name", "Hopper",
                "email", name + "@example.test");
    }

    @Test
    void lookingUpOtherUsersNeverSpendsLegacyIdsAndNewUsersStillGetOne() {
        // A user from before the setting was switched on: no legacy id yet.
        realm.admin().updateRealmAttributes(Map.of("dropin.users-api.legacyIds", "false"));
        String name = "la" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        post(USERS, account(name)).then().statusCode(201);
        realm.admin().updateRealmAttributes(Map.of("dropin.users-api.legacyIds", "true"));
        String key = post(TOKEN_AUTH, Map.of("username", name, "password", PASSWORD)).then().statusCode(200)
                .extract().path("token");
        String userId = realm.admin().userByUsername(name).orElseThrow().path("id").asText();

        for (int i = 0; i < REQUESTS; i++) {
            Response response = given().header("Authorization", "Token " + key)
                    .get(realm.realmUrl() + USERS + (900_000_000 + i) + "/");
            assertThat(response.statusCode()).as("request %d", i + 1).isEqualTo(404);
            assertThat(response.body().asString()).isEqualTo(NOT_FOUND);
        }

        // Nothing was handed out: the caller still has no legacy id, the realm's lowest free number did not move,
        // and the next user gets exactly that number.
        assertThat(realm.admin().user(userId).path("attributes").path("legacyId").isMissingNode()).isTrue();
        String next = realm.admin().realm().path("attributes").path("dropin.legacyIds.next").asText("1");
        Response created = post(USERS, account(name + "n"));
        created.then().statusCode(201);
        assertThat(created.jsonPath().getLong("id")).isEqualTo(Long.parseLong(next));
    }
}
