package io.github.dropin.keycloak.it.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dropin.keycloak.it.Phones;
import io.github.dropin.keycloak.it.SeparateServer;
import io.github.dropin.keycloak.it.TestRealm;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The {@code log} sender (it writes codes to the server log) in production mode (finding 10 of the security review):
 * a realm administrator may not select it with {@code dropin.sms.sender=log} when the operator made another sender
 * the server default. The shared test server cannot show it, since its operator made {@code log} the default (which
 * keeps it allowed, see {@code DeliveryTestEndpointIT}); this class runs its own server, production mode
 * ({@code start --optimized}) with {@code twilio} as the server default.
 */
class LogSenderInProductionIT {

    static final String REGISTER = "/phone-otp/auth/api/Register/";

    static SeparateServer server;
    static TestRealm realm;

    @BeforeAll
    static void start() {
        server = SeparateServer.start("twilio-default", Map.of("--spi-sms-sender--provider-default", "twilio"));
        realm = server.importRealm("realms/phone-otp.json");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRealmCannotSwitchToTheLogSenderWhenTheOperatorChoseAnother() {
        realm.admin().updateRealmAttributes(Map.of("dropin.sms.sender", "log"));
        String phone = Phones.next();
        server.log().mark();

        Response response = given().contentType(ContentType.JSON).body(Map.of("phonenumber", phone))
                .post(realm.realmUrl() + REGISTER);

        server.inbox().assertNoSms(realm.name(), phone, Duration.ofSeconds(2));
        response.then().statusCode(503).body(equalTo("{\"error\":\"Service temporarily unavailable, try again later\"}"));
        JsonNode event = realm.admin().events("REGISTER_ERROR").stream()
                .filter(e -> phone.equals(e.path("details").path("username").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no REGISTER_ERROR for " + phone));
        assertThat(event.path("error").asText()).isEqualTo("sms_send_failed");
        assertThat(event.path("details").path("reason").asText()).isEqualTo("MISCONFIGURED: SMS sender 'log' "
                + "(realm attribute dropin.sms.sender) writes codes to the server log and is refused in production mode: "
                + "choose twilio or http, or remove the attribute to use the server's default sender");
        String warning = server.log().awaitLine(server.log().lastMark(), Pattern.compile(" WARN .*"
                + Pattern.quote(realm.name()) + ".*SMS sender 'log'"), Duration.ofSeconds(10));
        assertThat(warning).contains("dropin.sms.sender").contains("production mode");
        assertThat(realm.admin().userByUsername(phone)).isEmpty();
    }
}
