package io.github.dropin.keycloak.it.nativelogin;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static io.github.dropin.keycloak.it.nativelogin.NativeLogin.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Direct grant with phone number and SMS code on the standard token endpoint ({@code grant_type=password},
 * client {@code phone-app} whose direct grant flow is "dropin direct grant"), after requesting the code from
 * {@code /realms/{realm}/sms-code/request}.
 */
@KeycloakRealm(NativeLogin.FIXTURE)
class DirectGrantPhoneIT {

    private static final String CLIENT = "phone-app";
    private static final String CODE_SENT = "{\"expires_in\":300,\"code_length\":6,\"resend_interval\":30}";

    static Response requestCode(TestRealm realm, String clientId, String phone) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("client_id", clientId)
                .formParam("phone_number", phone)
                .post(realm.realmUrl() + "/sms-code/request");
    }

    static Response token(TestRealm realm, String clientId, String phone, String code) {
        var request = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password")
                .formParam("client_id", clientId)
                .formParam("scope", "openid");
        if (phone != null) {
            request.formParam("phone_number", phone);
        }
        if (code != null) {
            request.formParam("code", code);
        }
        return request.post(realm.realmUrl() + "/protocol/openid-connect/token");
    }

    @Test
    void codeThenTokensWithPhoneClaims(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("app"), phone, true, null);

        requestCode(realm, CLIENT, Phones.spaced(phone)).then().statusCode(200)
                .contentType("application/json").body(equalTo(CODE_SENT));
        SmsInbox.Sms sms = inbox.awaitSms(realm.name(), phone);
        assertThat(sms.purpose()).isEqualTo("login");

        JsonNode tokens = tree(token(realm, CLIENT, phone, sms.code()).then().statusCode(200).extract().asString());
        JsonNode claims = accessClaims(realm, tokens);
        assertPhoneClaims(claims, phone, true);
        assertThat(claims.path("sub").asText()).isEqualTo(userId);
        assertThat(claims.path("azp").asText()).isEqualTo(CLIENT);
        assertPhoneClaims(idClaims(realm, tokens), phone, true);
        assertThat(realm.admin().userSessions(userId)).hasSize(1);
        JsonNode login = latestEvent(realm, "LOGIN", userId);
        assertThat(login.path("clientId").asText()).isEqualTo(CLIENT);

        // Keycloak's own refresh grant takes the tokens like any others.
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", CLIENT)
                .formParam("refresh_token", tokens.path("refresh_token").asText())
                .post(realm.realmUrl() + "/protocol/openid-connect/token")
                .then().statusCode(200);

        // Single use.
        token(realm, CLIENT, phone, sms.code()).then().statusCode(400)
                .body(equalTo("{\"error\":\"invalid_grant\",\"error_description\":\"Code expired, already used or not requested\"}"));
    }

    @Test
    void spacedNumbersAndCodesWithBlanksWork(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        createUser(realm, uniqueName("app"), phone, true, null);
        requestCode(realm, CLIENT, phone).then().statusCode(200);
        String code = inbox.awaitSms(realm.name(), phone).code();
        token(realm, CLIENT, Phones.spaced(phone), " " + code + " ").then().statusCode(200);
    }

    @Test
    void wrongCodesAreInvalidGrantsAndCountForBruteForce(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("app"), phone, true, null);
        requestCode(realm, CLIENT, phone).then().statusCode(200);
        String code = inbox.awaitSms(realm.name(), phone).code();
        String wrong = code.equals("000000") ? "111111" : "000000";

        token(realm, CLIENT, phone, wrong).then().statusCode(400).contentType("application/json")
                .body(equalTo("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid code\"}"));
        awaitBruteForceFailures(realm, userId, 1);
        assertThat(latestEvent(realm, "LOGIN_ERROR", userId).path("error").asText()).isEqualTo("invalid_user_credentials");
        token(realm, CLIENT, phone, wrong).then().statusCode(400);
        token(realm, CLIENT, phone, wrong).then().statusCode(400)
                .body(equalTo("{\"error\":\"invalid_grant\",\"error_description\":\"Too many wrong codes: request a new code\"}"));
        token(realm, CLIENT, phone, code).then().statusCode(400)
                .body(equalTo("{\"error\":\"invalid_grant\",\"error_description\":\"Code expired, already used or not requested\"}"));
        assertThat(realm.admin().userSessions(userId)).isEmpty();
        awaitBruteForceFailures(realm, userId, 3);
        resetBruteForce(realm, userId);
    }

    @Test
    void unknownNumbersGetTheSameAnswersAndNoSms(TestRealm realm, SmsInbox inbox) {
        String known = Phones.next();
        createUser(realm, uniqueName("app"), known, true, null);
        String unknown = Phones.next();
        String unverified = Phones.next();
        createUser(realm, uniqueName("unverified"), unverified, false, null);

        for (String phone : new String[] {known, unknown, unverified}) {
            requestCode(realm, CLIENT, phone).then().statusCode(200).body(equalTo(CODE_SENT));
            Response again = requestCode(realm, CLIENT, phone);
            again.then().statusCode(429).contentType("application/json")
                    .body("error", equalTo("slow_down"));
            assertThat(Integer.parseInt(again.header("Retry-After"))).isBetween(1, 30);
        }
        inbox.awaitSms(realm.name(), known);
        inbox.assertNoSms(realm.name(), unknown, Duration.ofSeconds(1));
        inbox.assertNoSms(realm.name(), unverified, Duration.ofSeconds(1));

        token(realm, CLIENT, unknown, "123456").then().statusCode(400)
                .body(equalTo("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid code\"}"));
        assertThat(realm.admin().events("LOGIN_ERROR").get(0).path("error").asText()).isEqualTo("user_not_found");
    }

    @Test
    void anSmsThatCannotBeSentIs503AndUsesUpNoLimit(TestRealm realm, SmsInbox inbox) {
        String phone = Phones.next();
        String userId = createUser(realm, uniqueName("outage"), phone, true, null);
        // An SMS sender that does not exist: every send fails as a misconfigured gateway would.
        withRealmAttribute(realm, "dropin.sms.sender", "no-such-sender", () ->
                requestCode(realm, CLIENT, phone).then().statusCode(503).body(equalTo(
                        "{\"error\":\"temporarily_unavailable\",\"error_description\":\"The SMS could not be sent; try again later\"}")));
        assertThat(latestEvent(realm, "LOGIN_ERROR", userId).path("error").asText()).isEqualTo("sms_send_failed");

        // The failed request left no cooldown behind: asking again at once works.
        requestCode(realm, CLIENT, phone).then().statusCode(200).body(equalTo(CODE_SENT));
        String code = inbox.awaitSms(realm.name(), phone).code();
        token(realm, CLIENT, phone, code).then().statusCode(200);
    }

    @Nested
    class BadRequests {

        @Test
        void tokenWithoutPhoneOrCode(TestRealm realm) {
            token(realm, CLIENT, null, "123456").then().statusCode(400)
                    .body(equalTo("{\"error\":\"invalid_request\",\"error_description\":\"Missing parameter: phone_number\"}"));
            token(realm, CLIENT, Phones.next(), null).then().statusCode(400)
                    .body(equalTo("{\"error\":\"invalid_request\",\"error_description\":\"Missing parameter: code\"}"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"12345", "not a number", "+49 900 1234567", "' OR 1=1 --", "+4915112345678901234567890"})
        void invalidNumbers(String phone, TestRealm realm) {
            token(realm, CLIENT, phone, "123456").then().statusCode(400)
                    .body(equalTo("{\"error\":\"invalid_request\",\"error_description\":\"Invalid parameter: phone_number\"}"));
            requestCode(realm, CLIENT, phone).then().statusCode(400)
                    .body(equalTo("{\"error\":\"invalid_request\",\"error_description\":\"Invalid parameter: phone_number\"}"));
        }

        @Test
        void requestWithoutPhone(TestRealm realm) {
            given().contentType("application/x-www-form-urlencoded").formParam("client_id", CLIENT)
                    .post(realm.realmUrl() + "/sms-code/request/")
                    .then().statusCode(400)
                    .body(equalTo("{\"error\":\"invalid_request\",\"error_description\":\"Missing parameter: phone_number\"}"));
        }

        @Test
        void requestWithJson(TestRealm realm) {
            given().contentType("application/json").body("{\"client_id\": \"phone-app\", \"phone_number\": \"+4915112345678\"}")
                    .post(realm.realmUrl() + "/sms-code/request")
                    .then().statusCode(415).body("error", equalTo("invalid_request"));
        }

        @Test
        void clientsThatMayNotUseCodes(TestRealm realm) {
            String phone = Phones.next();
            requestCode(realm, "password-app", phone).then().statusCode(400)
                    .body(equalTo("{\"error\":\"unauthorized_client\",\"error_description\":\"The client's direct grant flow does not sign in with SMS codes\"}"));
            requestCode(realm, "browser-only-app", phone).then().statusCode(400)
                    .body(equalTo("{\"error\":\"unauthorized_client\",\"error_description\":\"Client not allowed for direct access grants\"}"));
            requestCode(realm, "no-such-client", phone).then().statusCode(401).body("error", equalTo("invalid_client"));
            requestCode(realm, "phone-app-confidential", phone).then().statusCode(401).body("error", equalTo("unauthorized_client"));
        }

        @Test
        void confidentialClientsAuthenticateAsAtTheTokenEndpoint(TestRealm realm, SmsInbox inbox) {
            String phone = Phones.next();
            createUser(realm, uniqueName("conf"), phone, true, null);
            given().contentType("application/x-www-form-urlencoded").auth().preemptive().basic("phone-app-confidential", "phone-app-secret")
                    .formParam("phone_number", phone)
                    .post(realm.realmUrl() + "/sms-code/request")
                    .then().statusCode(200).body(equalTo(CODE_SENT));
            String code = inbox.awaitSms(realm.name(), phone).code();
            given().contentType("application/x-www-form-urlencoded").auth().preemptive().basic("phone-app-confidential", "phone-app-secret")
                    .formParam("grant_type", "password").formParam("phone_number", phone).formParam("code", code)
                    .post(realm.realmUrl() + "/protocol/openid-connect/token")
                    .then().statusCode(200);
        }
    }
}
