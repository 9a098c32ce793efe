package io.github.dropin.keycloak.it.nativelogin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.createUser;
import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.tree;
import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 8 of the security review: a phone number that changes by any path other than a texted code must not stay
 * marked verified. The realm here lets users change their number directly ({@code allowDirectChange} on the
 * {@code dropin-phone-number} validator), so the account console's REST API changes it as the admin API does.
 */
@KeycloakRealm(NativeLogin.FIXTURE)
class PhoneVerifiedResetIT {

    @BeforeAll
    static void allowDirectChanges(TestRealm realm) {
        ObjectNode profile = (ObjectNode) realm.admin().userProfile();
        for (JsonNode attribute : profile.path("attributes")) {
            if (attribute.path("name").asText().equals("phoneNumber")) {
                ((ObjectNode) attribute.path("validations")).putObject("dropin-phone-number").put("allowDirectChange", true);
            }
        }
        realm.admin().updateUserProfile(profile);
    }

    static String attribute(TestRealm realm, String userId, String name) {
        return realm.admin().user(userId).path("attributes").path(name).path(0).asText(null);
    }

    static Map<String, Object> withPhone(TestRealm realm, String userId, String phone, String verified) {
        return Map.of("username", realm.admin().user(userId).path("username").asText(),
                "attributes", Map.of("phoneNumber", List.of(phone), "phoneNumberVerified", List.of(verified)));
    }

    @Test
    void anAdministratorsNumberChangeResetsTheVerifiedFlag(TestRealm realm) {
        String userId = createUser(realm, uniqueName("admin-change"), Phones.next(), true, null);
        String changed = Phones.next();

        // What the admin console sends: the whole form, the old "true" included.
        realm.admin().updateUser(userId, withPhone(realm, userId, changed, "true"));

        assertThat(attribute(realm, userId, "phoneNumber")).isEqualTo(changed);
        assertThat(attribute(realm, userId, "phoneNumberVerified")).as("phoneNumberVerified after an admin changed the number")
                .isEqualTo("false");
    }

    @Test
    void anAdministratorMayStillMarkAnUnchangedNumberVerified(TestRealm realm) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("admin-mark"), phone, false, null);

        realm.admin().updateUser(userId, withPhone(realm, userId, phone, "true"));

        assertThat(attribute(realm, userId, "phoneNumberVerified")).isEqualTo("true");
    }

    @Test
    void aNumberChangedInTheAccountConsoleIsNoLongerVerified(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("self-change"), phone, true, null);
        DirectGrantPhoneIT.requestCode(realm, "phone-app", phone).then().statusCode(200);
        String accessToken = tree(DirectGrantPhoneIT.token(realm, "phone-app", phone,
                inbox.awaitSms(realm.name(), phone).code()).then().statusCode(200).extract().asString())
                .path("access_token").asText();
        JsonNode account = tree(given().auth().oauth2(accessToken).accept("application/json")
                .get(realm.realmUrl() + "/account").then().statusCode(200).extract().asString());
        String changed = Phones.next();

        given().auth().oauth2(accessToken).contentType("application/json")
                .body(account.toString().replace(phone, changed))
                .post(realm.realmUrl() + "/account").then().statusCode(204);

        assertThat(attribute(realm, userId, "phoneNumber")).isEqualTo(changed);
        assertThat(attribute(realm, userId, "phoneNumberVerified")).as("phoneNumberVerified after a self-service change")
                .isEqualTo("false");
    }

    @Test
    void removingTheNumberResetsTheFlagToo(TestRealm realm) {
        String userId = createUser(realm, uniqueName("admin-remove"), Phones.next(), true, null);

        realm.admin().updateUser(userId, Map.of("username", realm.admin().user(userId).path("username").asText(),
                "attributes", Map.of("phoneNumberVerified", List.of("true"))));

        assertThat(attribute(realm, userId, "phoneNumber")).isNull();
        assertThat(attribute(realm, userId, "phoneNumberVerified")).isIn(null, "false");
    }
}
