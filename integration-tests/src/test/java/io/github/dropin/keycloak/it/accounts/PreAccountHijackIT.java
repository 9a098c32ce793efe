package io.github.dropin.keycloak.it.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 3 of the security review (SPEC §4.2): pre-account hijacking through phone-otp. Someone registers elsewhere
 * with the victim's number, unverified, and a credential of their own; phone-otp login must then treat the number as
 * unknown, so the victim never signs into (and verifies) the attacker's account. Only a passwordless account that
 * phone-otp itself created, with no credential of anyone else, may log in with a number it has not verified yet.
 */
@KeycloakRealm("realms/accounts.json")
class PreAccountHijackIT {

    static final String PHONE_OTP_REGISTER = "/phone-otp/auth/api/Register/";
    static final String PHONE_OTP_LOGIN = "/phone-otp/auth/api/login/";
    static final String USER_DOES_NOT_EXIST = "{\"error\":\"User does not exist\"}";
    static final Duration QUIET = Duration.ofSeconds(2);

    final TestRealm realm;
    final SmsInbox inbox;
    final MailServer mail;
    final Callers callers;

    PreAccountHijackIT(TestRealm realm, SmsInbox inbox, MailServer mail) {
        this.realm = realm;
        this.inbox = inbox;
        this.mail = mail;
        this.callers = new Callers(realm);
    }

    @Test
    void aTokenAuthAccountHoldingTheVictimsNumberUnverifiedIsNotReachedByPhoneOtpLogin() {
        String victim = Phones.next();
        String attacker = Callers.newUsername("mallory");
        String attackerEmail = Callers.newEmail();
        Map<String, Object> registration = new HashMap<>();
        registration.put("username", attacker);
        registration.put("password", Callers.PASSWORD);
        registration.put("phone_number", victim);
        registration.put("email", attackerEmail);
        callers.post("/token-auth/api/register/", registration).then().statusCode(200);
        // The attacker verifies only the address they own; the victim's number stays unverified.
        callers.post("/token-auth/api/verify-user/", Map.of("code", Callers.email(mail, attackerEmail, 1).code()))
                .then().statusCode(200);
        JsonNode account = realm.admin().userByUsername(attacker).orElseThrow();
        assertThat(account.path("attributes").path("phoneNumberVerified").path(0).asText()).isEqualTo("false");

        // The victim cannot register the number (it is held), and logging in finds no account.
        callers.post(PHONE_OTP_REGISTER, Map.of("phonenumber", victim)).then().statusCode(409);
        inbox.mark();
        Response login = callers.post(PHONE_OTP_LOGIN, Map.of("phone", victim));

        assertThat(login.asString()).as("phone-otp login for a number another account holds unverified")
                .isEqualTo(USER_DOES_NOT_EXIST);
        assertThat(login.statusCode()).isEqualTo(404);
        inbox.assertNoSms(realm.name(), victim, QUIET);
        assertThat(realm.admin().user(account.path("id").asText()).path("attributes").path("phoneNumberVerified")
                .path(0).asText()).isEqualTo("false");
    }

    @Test
    void aPhoneOtpAccountThatGotAPasswordNoLongerLogsInWithAnUnverifiedNumber() {
        String phone = Phones.next();
        callers.post(PHONE_OTP_REGISTER, Map.of("phonenumber", phone)).then().statusCode(200);
        String id = realm.admin().userByUsername(phone).orElseThrow().path("id").asText();
        realm.admin().resetPassword(id, Callers.PASSWORD);

        inbox.mark();
        Response login = callers.post(PHONE_OTP_LOGIN, Map.of("phone", phone));

        assertThat(login.asString()).isEqualTo(USER_DOES_NOT_EXIST);
        assertThat(login.statusCode()).isEqualTo(404);
        inbox.assertNoSms(realm.name(), phone, QUIET);
    }

    @Test
    void aPhoneOtpAccountThatNeverVerifiedStillLogsInAndIsVerifiedByTheLogin() {
        String phone = Phones.next();
        callers.post(PHONE_OTP_REGISTER, Map.of("phonenumber", phone)).then().statusCode(200);
        String id = realm.admin().userByUsername(phone).orElseThrow().path("id").asText();

        inbox.mark();
        Response login = callers.post(PHONE_OTP_LOGIN, Map.of("phone", phone));
        login.then().statusCode(200);
        assertThat(login.<String>path("user_id")).isEqualTo(id);
        String code = inbox.awaitSms(realm.name(), phone).code();
        callers.post("/phone-otp/auth/api/login/verify/", Map.of("code", code, "user_id", id)).then().statusCode(200);
        assertThat(realm.admin().user(id).path("attributes").path("phoneNumberVerified").path(0).asText())
                .isEqualTo("true");
    }

    @Test
    void aVerifiedNumberLogsInWhateverCreatedTheAccount() {
        String phone = Phones.next();
        String username = Callers.newUsername("verified");
        String id = realm.admin().createUser(Map.of("username", username, "enabled", true,
                "attributes", Map.of("phoneNumber", List.of(phone), "phoneNumberVerified", List.of("true"))));
        realm.admin().resetPassword(id, Callers.PASSWORD);

        callers.post(PHONE_OTP_LOGIN, Map.of("phone", phone)).then().statusCode(200);
        assertThat(inbox.awaitSms(realm.name(), phone).purpose()).isEqualTo("login");
    }
}
