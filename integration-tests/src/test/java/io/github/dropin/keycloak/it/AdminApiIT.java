package io.github.dropin.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dropin.keycloak.Dropin;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin helpers do what their names say, against the real admin API; also a usage example. */
@KeycloakRealm("realms/admin-api.json")
class AdminApiIT {

    private static final String PHONE = "+4915112345678";

    @BeforeAll
    static void allowPhoneAttributes(TestRealm realm) {
        // Keycloak 26 drops attributes the user profile does not declare; the pack declares its own later.
        ObjectNode profile = (ObjectNode) realm.admin().userProfile();
        profile.put("unmanagedAttributePolicy", "ENABLED");
        realm.admin().updateUserProfile(profile);
    }

    @Test
    void userLifecycle(TestRealm realm) {
        AdminApi admin = realm.admin();
        String id = admin.createUser(Map.of(
                "username", "alice", "enabled", true, "email", "alice@example.org", "emailVerified", true,
                "firstName", "Alice", "lastName", "Liddell",
                "attributes", Map.of(Dropin.ATTR_PHONE_NUMBER, List.of(PHONE), Dropin.ATTR_PHONE_NUMBER_VERIFIED, List.of("true"))));

        assertThat(admin.userByUsername("alice")).hasValueSatisfying(u -> assertThat(u.path("id").asText()).isEqualTo(id));
        assertThat(admin.usersByAttribute(Dropin.ATTR_PHONE_NUMBER, PHONE)).extracting(u -> u.path("id").asText()).containsExactly(id);
        assertThat(admin.usersByAttribute(Dropin.ATTR_PHONE_NUMBER, "+4915100000000")).isEmpty();
        assertThat(admin.countUsers()).isEqualTo(1);

        admin.resetPassword(id, "correct horse battery staple");
        assertThat(admin.credentials(id)).extracting(c -> c.path("type").asText()).containsExactly("password");

        passwordLogin(realm, "alice", "correct horse battery staple");
        assertThat(admin.userSessions(id)).hasSize(1);
        assertThat(admin.events("LOGIN")).first()
                .satisfies(e -> assertThat(e.path("userId").asText()).isEqualTo(id));
        admin.logoutUser(id);
        assertThat(admin.userSessions(id)).isEmpty();

        admin.updateUser(id, Map.of("firstName", "Alicia"));
        assertThat(admin.user(id).path("firstName").asText()).isEqualTo("Alicia");

        admin.deleteUser(id);
        assertThat(admin.findUsers(Map.of("search", "alice"))).isEmpty();
    }

    @Test
    void realmSettings(TestRealm realm) {
        realm.admin().updateRealm(Map.of("displayName", "Admin API test"));
        JsonNode rep = realm.admin().realm();
        assertThat(rep.path("displayName").asText()).isEqualTo("Admin API test");
        assertThat(rep.path("eventsEnabled").asBoolean()).isTrue();
        assertThat(realm.admin().clients("test-app")).hasSize(1);
        assertThat(realm.admin().clients("no-such-client")).isEmpty();
    }

    private static void passwordLogin(TestRealm realm, String username, String password) {
        RestAssured.given()
                .formParam("grant_type", "password")
                .formParam("client_id", "test-app")
                .formParam("username", username)
                .formParam("password", password)
                .post(realm.realmUrl() + "/protocol/openid-connect/token")
                .then().statusCode(200);
    }
}
