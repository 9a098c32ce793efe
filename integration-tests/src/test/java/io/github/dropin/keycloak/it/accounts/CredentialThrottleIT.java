package io.github.dropin.keycloak.it.accounts;

import io.github.dropin.keycloak.it.KeycloakRealm;
import io.github.dropin.keycloak.it.KeycloakServer;
import io.github.dropin.keycloak.it.MailServer;
import io.github.dropin.keycloak.it.ServerLog;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 6 of the security review (credentials): with Keycloak's brute-force detector off (the default, and this
 * realm's), passwords had no throttle at all. The pack now counts wrong passwords and PINs per account and per client
 * network on its own and answers with the dialect's throttle shape once a budget is spent; and it warns about realms
 * that use it with the detector off.
 * <p>
 * Each test calls from loopback addresses of its own (127.0.N.x), so the per-network budgets of one test do not reach
 * another's.
 */
@KeycloakRealm("realms/accounts.json")
class CredentialThrottleIT {

    static final String NO_ACCOUNT = "{\"detail\":\"No active account found with the given credentials\"}";
    static final String WRONG = "Wrong-Guess-0000";

    final TestRealm realm;
    final MailServer mail;
    final Callers callers;

    CredentialThrottleIT(TestRealm realm, MailServer mail) {
        this.realm = realm;
        this.mail = mail;
        this.callers = new Callers(realm);
    }

    static String throttled(long seconds) {
        return "{\"detail\":\"Request was throttled. Expected available in " + seconds + " seconds.\"}";
    }

    Response jwtLogin(String address, String username, String password) {
        return callers.postFrom(address, "/jwt-auth/auth/token", Map.of("username", username, "password", password));
    }

    @Test
    void wrongPasswordsForOneAccountAreThrottledWithoutTheDetector(KeycloakServer server) {
        assertThat(realm.admin().realm().path("bruteForceProtected").asBoolean()).isFalse();
        String username = callers.jwtAuthAccount().get("username");
        for (int i = 0; i < 10; i++) {
            jwtLogin("127.0.1." + (i + 1), username, WRONG).then().statusCode(401);
        }

        Response eleventh = jwtLogin("127.0.1.20", username, WRONG);
        Response right = jwtLogin("127.0.1.21", username, Callers.PASSWORD);

        assertThat(eleventh.asString()).as("11th wrong password within 15 minutes").isEqualTo(throttled(900));
        assertThat(eleventh.statusCode()).isEqualTo(429);
        assertThat(eleventh.header("Retry-After")).isEqualTo("900");
        assertThat(right.statusCode()).as("the right password while the account is throttled").isEqualTo(429);

        server.moveClock(Duration.ofSeconds(901));
        jwtLogin("127.0.1.22", username, Callers.PASSWORD).then().statusCode(200);
    }

    @Test
    void wrongPasswordsFromOneNetworkAreThrottledAcrossAccounts() {
        realm.admin().updateRealmAttributes(Map.of("dropin.password.maxFailuresPerNetwork", "20"));
        try {
            for (int i = 0; i < 20; i++) {
                Response guess = jwtLogin("127.0.2.1", Callers.newUsername("nobody"), WRONG);
                assertThat(guess.asString()).isEqualTo(NO_ACCOUNT);
            }

            Response next = jwtLogin("127.0.2.1", Callers.newUsername("nobody"), WRONG);

            assertThat(next.asString()).as("21st wrong password from one network").isEqualTo(throttled(900));
            assertThat(next.statusCode()).isEqualTo(429);
            // Networks are IPv4 /32 by default: the neighbour is another network.
            assertThat(jwtLogin("127.0.2.2", Callers.newUsername("nobody"), WRONG).statusCode()).isEqualTo(401);

            // With /24, twenty addresses of one /24 share a budget.
            realm.admin().updateRealmAttributes(Map.of("dropin.password.ipv4Prefix", "24"));
            for (int i = 1; i <= 20; i++) {
                jwtLogin("127.0.6." + i, Callers.newUsername("nobody"), WRONG).then().statusCode(401);
            }
            assertThat(jwtLogin("127.0.6.99", Callers.newUsername("nobody"), WRONG).statusCode()).isEqualTo(429);
            assertThat(jwtLogin("127.0.7.1", Callers.newUsername("nobody"), WRONG).statusCode()).isEqualTo(401);
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.password.maxFailuresPerNetwork", "",
                    "dropin.password.ipv4Prefix", ""));
        }
    }

    @Test
    void wrongCurrentPasswordsAreThrottledToo() {
        Map<String, String> account = callers.usersApiAccount(Callers.newEmail());
        String path = "/users-api/api/v1/users/" + account.get("id") + "/";
        for (int i = 0; i < 10; i++) {
            Callers.from("127.0.5." + (i + 1)).header("Authorization", "Token " + account.get("key"))
                    .contentType(ContentType.JSON).body(Map.of("old_password", WRONG, "new_password", "New-Horse-77"))
                    .post(realm.realmUrl() + path).then().statusCode(400);
        }

        Response eleventh = Callers.from("127.0.5.20").header("Authorization", "Token " + account.get("key"))
                .contentType(ContentType.JSON).body(Map.of("old_password", WRONG, "new_password", "New-Horse-77"))
                .post(realm.realmUrl() + path);

        assertThat(eleventh.asString()).as("11th wrong old_password").isEqualTo(throttled(900));
        assertThat(eleventh.statusCode()).isEqualTo(429);
    }

    @Test
    void wrongPinsFromOneNetworkAreThrottledAcrossAccounts() {
        realm.admin().updateRealmAttributes(Map.of("dropin.pin.maxFailuresPerNetwork", "6"));
        try {
            String first = withPin(callers.emailSignupAccount(mail).get("access"));
            String second = withPin(callers.emailSignupAccount(mail).get("access"));
            for (int i = 0; i < 4; i++) {
                checkPin("127.0.4.1", first, "9999").then().statusCode(400);
            }
            for (int i = 0; i < 2; i++) {
                checkPin("127.0.4.1", second, "9999").then().statusCode(400);
            }

            Response seventh = checkPin("127.0.4.1", second, "9999");

            assertThat(seventh.asString()).as("7th wrong PIN from one network").isEqualTo(throttled(900));
            assertThat(seventh.statusCode()).isEqualTo(429);
            checkPin("127.0.4.2", second, "1234").then().statusCode(200);
        } finally {
            realm.admin().updateRealmAttributes(Map.of("dropin.pin.maxFailuresPerNetwork", ""));
        }
    }

    String withPin(String access) {
        Callers.from("127.0.0.1").header("Authorization", "Bearer " + access).contentType(ContentType.JSON)
                .body(Map.of("pin", "1234")).post(realm.realmUrl() + Callers.SIGNUP + "pin/").then().statusCode(204);
        return access;
    }

    Response checkPin(String address, String access, String pin) {
        return Callers.from(address).header("Authorization", "Bearer " + access).contentType(ContentType.JSON)
                .body(Map.of("pin", pin)).post(realm.realmUrl() + Callers.SIGNUP + "pin/check/");
    }

    @Test
    void aRealmThatUsesThePackWithTheDetectorOffIsReportedWhenAnAdministratorChangesIt(ServerLog log) {
        long mark = log.mark();

        realm.admin().updateRealmAttributes(Map.of("dropin.example", "changed"));

        String line = log.awaitLine(mark, Pattern.compile("WARN.*" + Pattern.quote(realm.name()) + ".*brute-force"),
                Duration.ofSeconds(10));
        assertThat(line).contains("bruteForceProtected");
    }
}
