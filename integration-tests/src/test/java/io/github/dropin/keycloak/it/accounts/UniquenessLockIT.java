package io.github.dropin.keycloak.it.accounts;

import io.github.dropin.keycloak.it.FakeTwilio;
import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 9 of the security review: a registration whose number or email another registration is creating right
 * now used to poll the uniqueness lock for up to 10 s, holding a worker thread, and then answer 503. It now tries
 * once and answers at once what the value's owner would get: the dialect's "already exists".
 * <p>
 * The first registration is held inside its SMS (a Twilio fake that answers after 12 s), so it holds its locks for
 * longer than the old wait.
 */
@KeycloakRealm("realms/accounts.json")
class UniquenessLockIT {

    static final String SENDER = "+15005550006";
    static final Duration HELD = Duration.ofSeconds(12);

    static FakeTwilio twilio;

    final TestRealm realm;
    final Callers callers;

    UniquenessLockIT(TestRealm realm) {
        this.realm = realm;
        this.callers = new Callers(realm);
    }

    @BeforeAll
    static void smsThroughTheFake(TestRealm realm, KeycloakServer server) {
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
                "dropin.sms.twilio.readTimeout", "15000"));
    }

    @AfterAll
    static void stopTheFake() {
        twilio.close();
    }

    /** Starts {@code first}, which texts {@code slowNumber}, and waits until its SMS is being sent (its locks held). */
    CompletableFuture<Response> holding(String slowNumber, Supplier<Response> first) {
        twilio.on(slowNumber, FakeTwilio.Behaviour.slow(HELD));
        CompletableFuture<Response> running = CompletableFuture.supplyAsync(first);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (twilio.requestsTo(slowNumber).isEmpty()) {
            assertThat(System.nanoTime()).as("the first registration reaches its SMS").isLessThan(deadline);
            Callers.sleep(20);
        }
        return running;
    }

    static Map<String, Object> tokenAuth(String username, String phone, String email) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", Callers.PASSWORD);
        body.put("phone_number", phone);
        body.put("email", email);
        return body;
    }

    @Test
    void aPhoneOtpRegistrationOfANumberBeingRegisteredIsAConflictAtOnce() throws Exception {
        String phone = Phones.next();
        CompletableFuture<Response> first = holding(phone,
                () -> callers.post("/phone-otp/auth/api/Register/", Map.of("phonenumber", phone)));

        Response second = callers.post("/phone-otp/auth/api/Register/", Map.of("phonenumber", Phones.spaced(phone)));

        assertThat(first).as("the first is still sending its SMS").isNotDone();
        assertThat(second.asString()).as("a second registration while the first holds the number")
                .isEqualTo("{\"error\":\"Account already Exists\"}");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(first.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(realm.admin().usersByAttribute("phoneNumber", phone)).hasSize(1);
    }

    @Test
    void aTokenAuthRegistrationOfAnEmailBeingRegisteredIsTheEmailTakenAnswerAtOnce() throws Exception {
        String email = Callers.newEmail();
        String slow = Phones.next();
        CompletableFuture<Response> first = holding(slow,
                () -> callers.post("/token-auth/api/register/", tokenAuth(Callers.newUsername("first"), slow, email)));

        Response second = callers.post("/token-auth/api/register/",
                tokenAuth(Callers.newUsername("second"), Phones.next(), email.toUpperCase()));

        assertThat(first).as("the first is still sending its SMS").isNotDone();
        assertThat(second.asString()).as("a second registration while the first holds the email")
                .isEqualTo("{\"error_message\":{\"email\":[\"A user with that email already exists.\"]}}");
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(first.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(realm.admin().findUsers(Map.of("email", email, "exact", true))).hasSize(1);
    }
}
