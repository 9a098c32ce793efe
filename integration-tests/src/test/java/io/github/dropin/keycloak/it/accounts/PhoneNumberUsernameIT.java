package io.github.dropin.keycloak.it.accounts;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 10 of the security review (usernames): a username equal to an E.164 number squatted that number, since
 * phone-otp names its accounts after their numbers; and a registration racing phone-otp's for the same name failed at
 * commit with a 500. A username that is (or normalises to) a phone number is now refused everywhere unless it is the
 * account's own number, and phone-otp takes the username's lock too.
 */
@KeycloakRealm("realms/accounts.json")
class PhoneNumberUsernameIT {

    static final String IS_PHONE = "A phone number can only be the username of the account with that phone number.";

    final TestRealm realm;
    final SmsInbox inbox;
    final Callers callers;

    PhoneNumberUsernameIT(TestRealm realm, SmsInbox inbox) {
        this.realm = realm;
        this.inbox = inbox;
        this.callers = new Callers(realm);
    }

    static Map<String, Object> tokenAuth(String username, String phone) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", Callers.PASSWORD);
        body.put("phone_number", phone);
        body.put("email", "");
        return body;
    }

    @Test
    void jwtAuthRefusesAPhoneNumberAsUsernameSoPhoneOtpCanStillRegisterIt() {
        String victim = Phones.next();

        Response squat = callers.post("/jwt-auth/auth/register", Map.of("username", victim, "password", Callers.PASSWORD));
        Response national = callers.post("/jwt-auth/auth/register",
                Map.of("username", "00" + victim.substring(1), "password", Callers.PASSWORD));

        assertThat(squat.asString()).as("jwt-auth register with an E.164 username")
                .isEqualTo("{\"username\":[\"" + IS_PHONE + "\"]}");
        assertThat(squat.statusCode()).isEqualTo(400);
        assertThat(national.asString()).as("jwt-auth register with 00<number>")
                .isEqualTo("{\"username\":[\"" + IS_PHONE + "\"]}");
        callers.post("/phone-otp/auth/api/Register/", Map.of("phonenumber", victim)).then().statusCode(200);
    }

    @Test
    void usersApiRefusesAPhoneNumberAsUsername() {
        Response response = callers.post("/users-api/api/v1/users/", Map.of("username", Phones.next(),
                "password", Callers.PASSWORD, "email", Callers.newEmail()));

        assertThat(response.asString()).as("users-api register with an E.164 username")
                .isEqualTo("{\"username\":[\"" + IS_PHONE + "\"]}");
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void tokenAuthAcceptsOnlyTheAccountsOwnNumberAsUsername() {
        String someoneElses = Phones.next();
        Response squat = callers.post("/token-auth/api/register/", tokenAuth(someoneElses, Phones.next()));

        assertThat(squat.asString()).as("token-auth register with another number as username")
                .isEqualTo("{\"error_message\":{\"username\":[\"" + IS_PHONE + "\"]}}");
        assertThat(squat.statusCode()).isEqualTo(400);

        String own = Phones.next();
        callers.post("/token-auth/api/register/", tokenAuth(own, Phones.spaced(own))).then().statusCode(200);
    }

    @Test
    void ordinaryUsernamesWithDigitsAreFine() {
        callers.post("/jwt-auth/auth/register", Map.of("username", "agent007", "password", Callers.PASSWORD))
                .then().statusCode(201);
        callers.post("/jwt-auth/auth/register", Map.of("username", "1-800-flowers", "password", Callers.PASSWORD))
                .then().statusCode(201);
    }

    @Test
    void racingRegistrationsOfANumberAndOfThatNumberAsUsernameEndCleanly() throws Exception {
        String number = Phones.next();

        List<Response> responses = Burst.responses(Burst.SIZE, i -> i % 2 == 0
                ? callers.post("/jwt-auth/auth/register", Map.of("username", number, "password", Callers.PASSWORD))
                : callers.post("/token-auth/api/register/", tokenAuth(number, number)));
        List<Response> phoneOtp = Burst.responses(10,
                i -> callers.post("/phone-otp/auth/api/Register/", Map.of("phonenumber", number)));

        assertThat(responses).as("no registration fails with a server error")
                .allSatisfy(r -> assertThat(r.statusCode()).as(r.asString()).isLessThan(500));
        assertThat(responses).filteredOn(r -> r.statusCode() == 201).as("jwt-auth accounts named %s", number).isEmpty();
        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
        assertThat(phoneOtp).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(409));
        assertThat(realm.admin().findUsers(Map.of("username", number, "exact", true))).hasSize(1);
    }

    @Test
    void aConcurrentPhoneOtpAndTokenAuthRegistrationOfOneNumberMakeOneAccountWithout500() throws Exception {
        String number = Phones.next();

        List<Response> responses = Burst.responses(Burst.SIZE, i -> i % 2 == 0
                ? callers.post("/phone-otp/auth/api/Register/", Map.of("phonenumber", number))
                : callers.post("/jwt-auth/auth/register", Map.of("username", number, "password", Callers.PASSWORD)));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.asString()).isLessThan(500));
        assertThat(responses).filteredOn(r -> r.statusCode() / 100 == 2).hasSize(1);
        assertThat(realm.admin().findUsers(Map.of("username", number, "exact", true))).hasSize(1);
    }
}
