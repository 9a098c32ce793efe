package io.github.dropin.keycloak.it.security;

import io.github.dropin.keycloak.Dropin;
import io.github.dropin.keycloak.it.FakeTwilio;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SmsInbox;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Finding 10 of the security review, the parts about the Keycloak-native login: browser and direct-grant codes are
 * separate, and where a real and a silent code must look alike (the code request endpoint, the sign-in phone page,
 * reset by phone) the answer does not wait for the SMS provider. The realm ({@code realms/native-login.json}) sends
 * through {@link FakeTwilio}, which can hold a message until the test lets it go: the HTTP answer must come back
 * while the message is held.
 */
@KeycloakRealm("realms/native-login.json")
class LoginFlowCodesIT {

    static final String SENDER = "+15005550006";
    static final String CODE_SENT = "{\"expires_in\":300,\"code_length\":6,\"resend_interval\":30}";
    static final Duration ARRIVAL = Duration.ofSeconds(10);
    private static final AtomicInteger NEXT = new AtomicInteger();

    static FakeTwilio twilio;

    final TestRealm realm;

    LoginFlowCodesIT(TestRealm realm) {
        this.realm = realm;
    }

    @BeforeAll
    static void sendThroughTheFake(TestRealm realm, KeycloakServer server) {
        twilio = FakeTwilio.start();
        FakeTwilio.Account account = twilio.newAccount();
        account.addNumber(SENDER);
        realm.admin().updateRealmAttributes(Map.of(
                "dropin.sms.sender", "twilio",
                "dropin.sms.twilio.apiBaseUrl", twilio.baseUrl(server),
                "dropin.sms.twilio.accountSid", account.sid(),
                "dropin.sms.twilio.authToken", account.authToken(),
                "dropin.sms.twilio.from", SENDER,
                "dropin.sms.twilio.connectTimeout", "2000",
                "dropin.sms.twilio.readTimeout", "5000"));
    }

    @AfterAll
    static void stopTheFake() {
        twilio.close();
    }

    String user(String phone) {
        return realm.admin().createUser(Map.of("username", "flow" + NEXT.incrementAndGet() + "_" + System.nanoTime() % 100000,
                "enabled", true, "attributes", Map.of(Dropin.ATTR_PHONE_NUMBER, List.of(phone),
                        Dropin.ATTR_PHONE_NUMBER_VERIFIED, List.of("true"))));
    }

    /** The code of the newest accepted message to {@code phone}, waiting for it. */
    String codeSentTo(String phone, int count) {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (System.nanoTime() < deadline) {
            List<FakeTwilio.Request> sent = twilio.requestsTo(phone).stream().filter(r -> r.status() == 201).toList();
            if (sent.size() >= count) {
                return SmsInbox.codeIn(sent.get(count - 1).form().get("Body").replace(realm.name(), ""));
            }
            pause();
        }
        throw new AssertionError("no accepted SMS #" + count + " to " + phone + ": " + twilio.requestsTo(phone));
    }

    static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Response requestCode(String phone) {
        return given().contentType("application/x-www-form-urlencoded").formParam("client_id", "phone-app")
                .formParam("phone_number", phone).post(realm.realmUrl() + "/sms-code/request");
    }

    Response directGrant(String phone, String code) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .formParam("client_id", "phone-app").formParam("phone_number", phone).formParam("code", code)
                .post(realm.realmUrl() + "/protocol/openid-connect/token");
    }

    /** A code texted for the browser sign-in does not sign in through the direct grant, and stays good for the page. */
    @Test
    void aBrowserCodeDoesNotSignInThroughTheDirectGrant() {
        String phone = Phones.next();
        user(phone);
        LoginForms browser = new LoginForms(realm);
        Response phonePage = browser.startLogin("native-app");
        Response codePage = browser.submit(phonePage, "dropin-phone-form", Map.of("phoneNumber", phone));
        assertThat(LoginForms.hasForm(codePage.asString(), "dropin-code-form")).isTrue();
        String code = codeSentTo(phone, 1);

        directGrant(phone, code).then().statusCode(400).body(equalTo(
                "{\"error\":\"invalid_grant\",\"error_description\":\"Code expired, already used or not requested\"}"));

        Response signedIn = browser.submit(codePage, "dropin-code-form", Map.of("code", code));
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.header("Location")).startsWith("http://127.0.0.1:9/callback?").contains("code=");
    }

    /** The code request endpoint answers while the SMS is still held by the provider. */
    @Test
    void theCodeRequestAnswersBeforeTheSmsLeaves() {
        String phone = Phones.next();
        user(phone);
        FakeTwilio.Hold hold = twilio.hold(phone);
        try {
            requestCode(phone).then().statusCode(200).body(equalTo(CODE_SENT));
            assertThat(hold.awaitArrival(ARRIVAL)).as("the SMS went out after the answer").isTrue();
            assertThat(hold.isHolding()).isTrue();
        } finally {
            hold.release();
        }
        directGrant(phone, codeSentTo(phone, 1)).then().statusCode(200);
    }

    /** The sign-in phone page answers with the code page while the SMS is still held by the provider. */
    @Test
    void thePhonePageAnswersBeforeTheSmsLeaves() {
        String phone = Phones.next();
        user(phone);
        LoginForms browser = new LoginForms(realm);
        Response phonePage = browser.startLogin("native-app");
        FakeTwilio.Hold hold = twilio.hold(phone);
        Response codePage;
        try {
            codePage = browser.submit(phonePage, "dropin-phone-form", Map.of("phoneNumber", phone));
            assertThat(codePage.statusCode()).isEqualTo(200);
            assertThat(LoginForms.hasForm(codePage.asString(), "dropin-code-form")).isTrue();
            assertThat(codePage.asString()).doesNotContain("We could not send the text message");
            assertThat(hold.awaitArrival(ARRIVAL)).as("the SMS went out after the answer").isTrue();
            assertThat(hold.isHolding()).isTrue();
        } finally {
            hold.release();
        }
        Response signedIn = browser.submit(codePage, "dropin-code-form", Map.of("code", codeSentTo(phone, 1)));
        assertThat(signedIn.header("Location")).startsWith("http://127.0.0.1:9/callback?");
    }

    /** Reset by phone answers with the code page while the SMS is still held by the provider. */
    @Test
    void resetByPhoneAnswersBeforeTheSmsLeaves() {
        String phone = Phones.next();
        user(phone);
        LoginForms browser = new LoginForms(realm);
        Response phonePage = browser.startReset("native-app");
        FakeTwilio.Hold hold = twilio.hold(phone);
        try {
            Response codePage = browser.submit(phonePage, "dropin-phone-form", Map.of("phoneNumber", phone));
            assertThat(codePage.statusCode()).isEqualTo(200);
            assertThat(LoginForms.hasForm(codePage.asString(), "dropin-code-form")).isTrue();
            assertThat(codePage.asString()).doesNotContain("We could not send the text message");
            assertThat(hold.awaitArrival(ARRIVAL)).as("the SMS went out after the answer").isTrue();
            assertThat(hold.isHolding()).isTrue();
        } finally {
            hold.release();
        }
        codeSentTo(phone, 1);
    }
}
