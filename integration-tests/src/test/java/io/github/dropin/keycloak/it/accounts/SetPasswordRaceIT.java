package io.github.dropin.keycloak.it.accounts;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 7 of the security review: after an email was verified, {@code public-set-password} set the first password
 * for whoever knew the address, for an hour. The grant is now bound to the caller who verified (its network, or the
 * {@code set_password_token} verify-code answered), lives 10 minutes, and the endpoint is rate-limited per network.
 * The seed's request shape ({@code email}, {@code password}, {@code repeat_password} from the verifying caller)
 * still works.
 */
@KeycloakRealm("realms/accounts.json")
class SetPasswordRaceIT {

    static final String VICTIM = "127.0.0.1";
    static final String ATTACKER = "127.0.7.7";
    static final String NOT_ALLOWED = "{\"non_field_errors\":[\"The email address is not verified or the account already "
            + "has a password. Use account recovery instead.\"]}";
    static final String PASSWORD = "Victims-Own-Pass-1";
    static final String ATTACKERS = "Attackers-Pass-666";

    final TestRealm realm;
    final MailServer mail;
    final Callers callers;

    SetPasswordRaceIT(TestRealm realm, MailServer mail) {
        this.realm = realm;
        this.mail = mail;
        this.callers = new Callers(realm);
    }

    /** Registers an address and verifies it from {@code address}; returns email, id and verify-code's answer. */
    Map<String, String> verified(String address) {
        String email = Callers.newEmail();
        Response registered = callers.postFrom(address, Callers.SIGNUP + "users/", Map.of("email", email, "terms_accepted", true));
        registered.then().statusCode(201);
        Response verify = callers.postFrom(address, Callers.SIGNUP + "verify-code/", Map.of("email", email,
                "code", Callers.email(mail, email, 1).code(), "purpose", "email_verification"));
        verify.then().statusCode(200);
        Map<String, String> result = new HashMap<>();
        result.put("email", email);
        result.put("id", registered.path("id"));
        result.put("token", verify.path("set_password_token"));
        return result;
    }

    Response setPassword(String address, String email, String password, String token) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        body.put("password", password);
        body.put("repeat_password", password);
        if (token != null) {
            body.put("set_password_token", token);
        }
        return callers.postFrom(address, Callers.SIGNUP + "public-set-password/", body);
    }

    boolean signsIn(String email, String password) {
        return callers.post(Callers.SIGNUP + "token/obtain/", Map.of("email", email, "password", password))
                .statusCode() == 200;
    }

    @Test
    void someoneElseWhoKnowsTheAddressCannotSetTheFirstPassword() {
        Map<String, String> account = verified(VICTIM);

        Response attack = setPassword(ATTACKER, account.get("email"), ATTACKERS, null);

        assertThat(attack.asString()).as("public-set-password from another network right after verification")
                .isEqualTo(NOT_ALLOWED);
        assertThat(attack.statusCode()).isEqualTo(400);
        // The refused attempt did not use up the grant: the person who verified still sets the password.
        setPassword(VICTIM, account.get("email"), PASSWORD, null).then().statusCode(200);
        assertThat(signsIn(account.get("email"), PASSWORD)).isTrue();
        assertThat(signsIn(account.get("email"), ATTACKERS)).isFalse();
    }

    @Test
    void theTokenFromVerifyCodeLetsTheVerifyingAppFinishFromAnotherNetworkOnce() {
        Map<String, String> account = verified(VICTIM);
        assertThat(account.get("token")).as("verify-code's set_password_token").matches("[A-Za-z0-9_-]{32,}");

        setPassword("127.0.8.8", account.get("email"), PASSWORD, "x" + account.get("token")).then().statusCode(400);
        setPassword("127.0.8.8", account.get("email"), PASSWORD, account.get("token")).then().statusCode(200);
        setPassword(VICTIM, account.get("email"), ATTACKERS, account.get("token")).then().statusCode(400);
        assertThat(signsIn(account.get("email"), PASSWORD)).isTrue();
    }

    @Test
    void theGrantLastsTenMinutes(KeycloakServer server) {
        Map<String, String> account = verified(VICTIM);

        server.moveClock(Duration.ofSeconds(601));
        Response late = setPassword(VICTIM, account.get("email"), PASSWORD, null);

        assertThat(late.asString()).as("public-set-password 601 s after verification").isEqualTo(NOT_ALLOWED);
    }

    @Test
    void theEndpointIsRateLimitedPerNetwork() {
        String address = "127.0.9.9";
        String unknown = Callers.newEmail();
        for (int i = 0; i < 20; i++) {
            setPassword(address, unknown, PASSWORD, null).then().statusCode(400);
        }

        Response throttled = setPassword(address, unknown, PASSWORD, null);

        assertThat(throttled.statusCode()).as("21st public-set-password from one network in an hour: %s",
                throttled.asString()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isNotBlank();
        setPassword("127.0.10.10", unknown, PASSWORD, null).then().statusCode(400);
    }
}
