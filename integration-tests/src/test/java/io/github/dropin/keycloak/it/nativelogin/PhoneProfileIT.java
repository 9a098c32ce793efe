package io.github.dropin.keycloak.it.nativelogin;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The user-profile validator {@code dropin-phone-number} on {@code phoneNumber}: what the admin API and the account
 * console's REST API accept.
 */
@KeycloakRealm(NativeLogin.FIXTURE)
class PhoneProfileIT {

    private static Map<String, Object> withPhone(JsonNode user, String phone) {
        return Map.of("username", user.path("username").asText(),
                "attributes", Map.of("phoneNumber", List.of(phone), "phoneNumberVerified", List.of("true")));
    }

    @Test
    void administratorsMustUseE164AndUniqueNumbers(TestRealm realm) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("admin-edit"), phone, true, null);
        String taken = Phones.next();
        createUser(realm, uniqueName("holder"), taken, true, null);
        JsonNode user = realm.admin().user(userId);

        realm.admin().request().body(withPhone(user, Phones.spaced(Phones.next()))).put("/users/{id}", userId)
                .then().statusCode(400).body(containsString("dropin.phone.notE164"));
        realm.admin().request().body(withPhone(user, "12345")).put("/users/{id}", userId)
                .then().statusCode(400).body(containsString("dropin.phone.invalid"));
        realm.admin().request().body(withPhone(user, taken)).put("/users/{id}", userId)
                .then().statusCode(400).body(containsString("dropin.phone.inUse"));
        assertThat(realm.admin().user(userId).path("attributes").path("phoneNumber").get(0).asText()).isEqualTo(phone);

        String fresh = Phones.next();
        realm.admin().updateUser(userId, withPhone(user, fresh));
        assertThat(realm.admin().user(userId).path("attributes").path("phoneNumber").get(0).asText()).isEqualTo(fresh);
    }

    @Test
    void usersCannotChangeTheirNumberWithoutACode(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("self"), phone, true, null);
        DirectGrantPhoneIT.requestCode(realm, "phone-app", phone).then().statusCode(200);
        String accessToken = tree(DirectGrantPhoneIT.token(realm, "phone-app", phone,
                inbox.awaitSms(realm.name(), phone).code()).then().statusCode(200).extract().asString())
                .path("access_token").asText();

        JsonNode account = tree(given().auth().oauth2(accessToken).accept("application/json")
                .get(realm.realmUrl() + "/account").then().statusCode(200).extract().asString());
        assertThat(account.path("attributes").path("phoneNumber").get(0).asText()).isEqualTo(phone);

        // Saving the profile unchanged is fine...
        given().auth().oauth2(accessToken).contentType("application/json").body(account.toString())
                .post(realm.realmUrl() + "/account").then().statusCode(204);

        // ...a new number is refused: it goes through "update phone number".
        String changed = account.toString().replace(phone, Phones.next());
        given().auth().oauth2(accessToken).contentType("application/json").body(changed)
                .post(realm.realmUrl() + "/account").then().statusCode(400)
                .body(containsString("dropin.phone.changeWithCode"));
        assertThat(realm.admin().user(userId).path("attributes").path("phoneNumber").get(0).asText()).isEqualTo(phone);
    }
}
