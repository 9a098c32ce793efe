package io.github.dropin.keycloak.it.phoneotp;

import io.github.dropin.keycloak.it.Burst;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Dialect {@code phone-otp} with brute-force detection on (the fixture locks after 10 failures): 50 parallel
 * requests holding the same right code succeed exactly once on each code path, the other 49 get the path's usual
 * refusal, Keycloak shows one effect, and the detector counts no failure: none of the requests guessed, so none may
 * count towards locking the person out.
 */
@KeycloakRealm("realms/phone-otp.json")
class PhoneOtpParallelIT {

    static final Duration QUIET = Duration.ofSeconds(2);
    static final String INVALID_TOKEN = "{\"error\":\"Invalid token\"}";
    static final String INVALID_CODE = "{\"error\":\"Invalid code\"}";
    static final String TOO_MANY = "{\"error\":\"Too many failed attempts, request a new code\"}";
    static final String LOGIN_FIRST = "{\"error\":\"login first\"}";

    final TestRealm realm;
    final SmsInbox inbox;

    PhoneOtpParallelIT(TestRealm realm, SmsInbox inbox) {
        this.realm = realm;
        this.inbox = inbox;
    }

    Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(realm.realmUrl() + path);
    }

    /** A registered, unverified account: {phone, token, userId, code}. */
    Map<String, String> register() {
        String phone = Phones.next();
        Response response = post(PhoneOtpIT.REGISTER, Map.of("phonenumber", phone));
        response.then().statusCode(200);
        String code = inbox.awaitSms(realm.name(), phone).code();
        String userId = realm.admin().userByUsername(phone).orElseThrow().path("id").asText();
        return Map.of("phone", phone, "token", response.path("token"), "userId", userId, "code", code);
    }

    String requestLogin(Map<String, String> account) {
        inbox.mark();
        post(PhoneOtpIT.LOGIN, Map.of("phone", account.get("phone"))).then().statusCode(200)
                .body("user_id", equalTo(account.get("userId")));
        return inbox.awaitSms(realm.name(), account.get("phone")).code();
    }

    long successEvents(String type, String userId) {
        return realm.admin().events(type).stream().filter(e -> userId.equals(e.path("userId").asText())).count();
    }

    @Test
    void verifyFiftyParallelRegistrationCodesVerifyTheNumberOnce() throws Exception {
        Map<String, String> account = register();
        Map<String, String> body = Map.of("code", account.get("code"), "token", account.get("token"),
                "phone", account.get("phone"));

        List<Response> responses = Burst.responses(Burst.SIZE, i -> post(PhoneOtpIT.VERIFY, body));
        System.out.println("PARALLEL phone-otp verify: " + Burst.tally(responses));

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1)
                .allSatisfy(r -> assertThat(r.asString()).isEqualTo("{\"message\":\"User verify Successfully!\"}"));
        // The others find the registration token used, the code used, or its attempts all claimed by requests still
        // comparing.
        assertThat(responses).filteredOn(r -> r.statusCode() != 200).hasSize(Burst.SIZE - 1).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.asString()).isIn(INVALID_TOKEN, INVALID_CODE, TOO_MANY);
        });
        assertThat(PhoneOtpIT.attribute(realm.admin().user(account.get("userId")), "phoneNumberVerified")).isEqualTo("true");
        assertThat(successEvents("UPDATE_PROFILE", account.get("userId"))).isEqualTo(1);
        realm.admin().assertNoBruteForceFailures(account.get("userId"), QUIET);
    }

    @Test
    void loginVerifyFiftyParallelRightCodesGiveOneSessionAndNoLock() throws Exception {
        Map<String, String> account = register();
        String code = requestLogin(account);

        List<Response> responses = Burst.responses(Burst.SIZE, i -> post(PhoneOtpIT.LOGIN_VERIFY,
                Map.of("code", code, "user_id", account.get("userId"))));
        System.out.println("PARALLEL phone-otp login/verify: " + Burst.tally(responses));

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1)
                .allSatisfy(r -> assertThat(r.jsonPath().getMap("")).containsOnlyKeys("access_token", "refresh_token"));
        // The others find the code used, or its attempts all claimed by requests still comparing.
        assertThat(responses).filteredOn(r -> r.statusCode() != 200).hasSize(Burst.SIZE - 1).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.asString()).isIn(LOGIN_FIRST, TOO_MANY);
        });
        assertThat(realm.admin().userSessions(account.get("userId"))).hasSize(1);
        assertThat(successEvents("LOGIN", account.get("userId"))).isEqualTo(1);
        realm.admin().assertNoBruteForceFailures(account.get("userId"), QUIET);
        // And the person can sign in again at once.
        post(PhoneOtpIT.LOGIN_VERIFY, Map.of("code", requestLogin(account), "user_id", account.get("userId")))
                .then().statusCode(200);
    }
}
